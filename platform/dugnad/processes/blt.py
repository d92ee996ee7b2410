"""The generic innovation process *Behov – Løsning – Test* (BLT).

BLT is the backbone of KS's innovation tool N³ (something *nytt* that is *nyttig* and
gets *nyttiggjort*); the integration workshops of IMDi were designed with it (seed
003, ch. 2.1.1 and 4). A closing phase, *Evaluere og videreføre*, carries what worked
into ordinary operation (seed 003: test in several rounds, evaluate, then scale).
The content is Norwegian: it is what the municipality works with, and it is copied
into the municipality's own process, where they adapt it.
"""

from dugnad.processes.templates import PhaseTemplate, ProcessTemplate

BEHOV = PhaseTemplate(
    key="behov",
    name="Behov",
    desired_result=(
        "Et tydelig og avgrenset behov som alle relevante aktører kjenner seg igjen i – "
        "beskrevet fra flere sider, med kunnskapsgrunnlag og en interessentanalyse."
    ),
    suggested_measures=(
        "Intervjuer eller samtaler med de som kjenner behovet best, også målgruppa selv",
        "Interessentanalyse: hvem berøres, hvem må være med?",
        "Arbeidsverksted med kunnskapspåfyll (statistikk fra IMDi og SSB, lokale stemmer)",
        "Velg ut en avgrenset, viktig flik av behovet å jobbe videre med",
    ),
    key_questions=(
        "Hva er det egentlige behovet – og for hvem?",
        "Hva må vi vite mer om for å forstå det reelle behovet?",
        "Hvem må vi ha med for å belyse behovet fra flere sider?",
        "Er behovet for stort til ett grep? Hvilken del velger vi å starte med?",
        "Hvordan ser vi at behovet er dekket?",
    ),
    responsible_roles=("Prosesseier (rådmann eller kommunalsjef)", "Koordinator"),
    ladder_level=2,
    checklist=(
        "Interessentanalysen er gjort og har påvirket hvem vi inviterer",
        "Behovet er formulert skriftlig og delt med deltakerne",
    ),
)

LOSNING = PhaseTemplate(
    key="losning",
    name="Løsning",
    desired_result=(
        "Prioriterte løsningsforslag som svarer på behovet, med ansvar, ressurser "
        "og en plan for hvordan de skal testes."
    ),
    suggested_measures=(
        "Utviklingsverksted med kommunen, frivilligheten, næringslivet og målgruppa",
        "Idémyldring med metoden individuell – gruppe – plenum, med bordvert ved hvert bord",
        "Prioriter ett til tre konkrete tiltak, gjerne med avstemning",
        "Lag en enkel prosjektplan for testen: hvem, hva, når, hvor mye",
    ),
    key_questions=(
        "Hvilke løsninger svarer best på behovet – uten at vi binder oss til ferdige svar på forhånd?",
        "Hva kan vi lære av andre kommuner som har prøvd noe lignende?",
        "Hvem eier hvert tiltak, og hvilke ressurser trengs?",
        "Hva skal politikerne få mene noe om, og hva kan administrasjonen sette i gang selv?",
    ),
    responsible_roles=("Koordinator", "Arbeidsgruppe", "Fasilitator"),
    ladder_level=3,
    checklist=(
        "Løsningsforslagene er prioritert sammen med deltakerne",
        "Hvert tiltak som skal testes har en eier og en frist",
    ),
)

TEST = PhaseTemplate(
    key="test",
    name="Test",
    desired_result=(
        "Løsningene er prøvd ut i praksis sammen med de relevante aktørene, og vi vet hva "
        "som virker: justert, forbedret eller forkastet."
    ),
    suggested_measures=(
        "Pilot i liten skala, i flere runder",
        "Avtal hvordan resultater og erfaringer måles før testen starter",
        "Oppfølgingsmøter med tiltakseierne underveis",
        "Del tidlige resultater med deltakerne og lokalsamfunnet",
    ),
    key_questions=(
        "Gir løsningen de effektene og resultatene vi ønsket?",
        "Hva må justeres før neste testrunde?",
        "Hvilke kriterier bruker vi for å evaluere?",
        "Hvem må vi informere om det vi har lært?",
    ),
    responsible_roles=("Tiltakseiere", "Koordinator"),
    ladder_level=4,
    checklist=(
        "Målekriteriene er avtalt før testen starter",
        "Hver testrunde er evaluert og justert",
    ),
)

VIDEREFORE = PhaseTemplate(
    key="evaluere",
    name="Evaluere og videreføre",
    desired_result=(
        "Et vedtak om hva som videreføres i ordinær drift, skaleres eller avsluttes – "
        "forankret politisk og administrativt, og læringen er dokumentert."
    ),
    suggested_measures=(
        "Evalueringsmøte med alle som har vært med",
        "Politisk sak om videreføring og finansiering",
        "Kobling til kommuneplanens samfunnsdel og eksisterende tjenester",
        "Feir det som er oppnådd",
    ),
    key_questions=(
        "Hva har vært den viktigste læringen, og hvordan bygger vi videre på den?",
        "Hvilke løsninger skal bli en del av ordinær drift, og hvem eier dem da?",
        "Hva ønsker vi at de som har vært med forteller når prosessen er over?",
        "Hvilke nye relasjoner er dannet, og hvordan holder vi dem ved like?",
    ),
    responsible_roles=("Prosesseier (rådmann eller kommunalsjef)", "Kommunestyret"),
    ladder_level=5,
    checklist=(
        "Resultatene er dokumentert og delt med deltakerne",
        "Det er bestemt hvem som eier løsningene videre",
    ),
)

BLT = ProcessTemplate(
    key="blt",
    name="Behov – Løsning – Test (BLT)",
    description=(
        "Den generelle innovasjonsprosessen fra KS (N³): finn det reelle behovet, design "
        "løsninger sammen med de som berøres, test dem i praksis, og viderefør det som virker. "
        "Fasene kan gli over i hverandre og gå både frem og tilbake."
    ),
    phases=(BEHOV, LOSNING, TEST, VIDEREFORE),
)
