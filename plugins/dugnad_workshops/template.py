"""The process template *Lokale utviklingsverksteder* (seed 003, chapter 4, figure 4):
preparation, workshop 1, homework, workshop 2, piloting and evaluation.

The content is Norwegian, as in the core's BLT template: it is copied into the
municipality's own process, where they adapt it.
"""

from dugnad.sdk import PhaseTemplate, ProcessTemplate

KEY = "workshops"

PREPARE = PhaseTemplate(
    key="forberedelse",
    name="Forberedelse",
    desired_result=(
        "Temaene er formulert som innovasjonsspørsmål, interessentanalysen er gjort, og deltakere fra "
        "kommunen, frivilligheten, næringslivet og målgruppa har fått invitasjon med forberedende materiell."
    ),
    suggested_measures=(
        "Behovsanalyse: spør sektorene som har ansvar for flyktninger hvilke temaer verkstedene bør ta opp",
        "Formuler temaene som innovasjonsspørsmål: et tydelig behov, en visjon, ingen ferdig løsning",
        "Interessentanalyse i fem trinn, som grunnlag for hvem som inviteres",
        "Rekrutter tidligere flyktninger og innvandrerorganisasjoner med personlig kontakt",
        "Send invitasjon og forberedende materiell i god tid; legg verkstedene til ettermiddag eller kveld",
    ),
    key_questions=(
        "Hvilke lokale behov skal verkstedene ta opp?",
        "Hvem må være med – og hvem mangler fortsatt?",
        "Er verkstedene forankret i den øverste administrative og politiske ledelsen?",
        "Passer tid og sted for frivillige og næringslivet?",
    ),
    responsible_roles=("Kommunen som initiativtaker", "Frivillighetskoordinator eller leder av flyktningtjenesten"),
    ladder_level=2,
    checklist=(
        "Tidligere flyktninger og innvandrerorganisasjoner er kontaktet personlig",
        "Invitasjon og forberedende materiell er sendt",
    ),
)

WORKSHOP_1 = PhaseTemplate(
    key="verksted1",
    name="Verksted 1",
    desired_result=(
        "Lokale behov er identifisert og prioritert, ideer og løsningsforslag er utviklet, de viktigste er "
        "valgt ut ved avstemming, og hver av dem har en ansvarlig for hjemmeleksen."
    ),
    suggested_measures=(
        "Grupper på 6–8 personer, satt sammen på forhånd på tvers av aktørene, hver med en fasilitator som blir sittende",
        "Tvungen rotasjon: alle bytter til et bord de ikke har sittet ved",
        "Hvert bord prioriterer behovene før det leter etter løsninger",
        "Hvert bord sender et par løsningsforslag til plenum; alle har to prikker å stemme med",
        "Oppsummering med spesifikke spørsmål til hver hjemmelekse sendes innen en dag eller to",
    ),
    key_questions=(
        "Hvilke behov og flaskehalser finnes hos oss?",
        "Hvilke ideer og løsninger svarer på behovene?",
        "Kan tiltak kommunen allerede bruker overfor andre utsatte grupper tilpasses?",
    ),
    responsible_roles=("Initiativtaker", "Fasilitatorer ved hvert bord"),
    ladder_level=3,
    checklist=(
        "Hver hjemmelekse har en ansvarlig, spørsmål og en frist",
        "Oppsummeringen er sendt til alle deltakerne",
    ),
)

HOMEWORK = PhaseTemplate(
    key="hjemmelekser",
    name="Hjemmelekser",
    desired_result=(
        "De prioriterte løsningsforslagene er sjekket ut – fakta, samtaler med de rette aktørene, en test av "
        "realismen – og de ansvarlige har en presentasjon klar til verksted 2."
    ),
    suggested_measures=(
        "Forplikt næringslivet på hjemmelekser, så de også kommer på verksted 2",
        "Kommunen er med i utsjekken: den krever ofte dialog med kommunale instanser",
        "Påminnelse til de ansvarlige før fristen",
    ),
    key_questions=(
        "Finnes tiltaket allerede, eller er det prøvd og forkastet?",
        "Hvem må vi snakke med for å vite om det er realistisk?",
        "Hvilke gode eksempler finnes andre steder?",
    ),
    responsible_roles=("De ansvarlige for hver hjemmelekse", "Initiativtaker"),
    ladder_level=3,
    checklist=("Alle hjemmeleksene er levert før verksted 2",),
)

WORKSHOP_2 = PhaseTemplate(
    key="verksted2",
    name="Verksted 2",
    desired_result=(
        "Løsningene er spisset og realitetsbehandlet mot dagens regel- og rammeverk, og hver pilot har "
        "ansvarlig, tid og aktivitet i en handlingsplan."
    ),
    suggested_measures=(
        "Kort oppsummering fra verksted 1",
        "De ansvarlige presenterer hjemmeleksene i plenum",
        "Gruppene spisser løsningene og sjekker dem mot regler og budsjett",
        "Ansvarlig, tid og aktivitet for hver pilot; oppsummering og handlingsplan sendes etterpå",
    ),
    key_questions=(
        "Hva er mulig å gjennomføre lokalt innenfor dagens regel- og rammeverk?",
        "Hvem tar ansvar – og når starter vi?",
    ),
    responsible_roles=("Initiativtaker", "Fasilitatorer ved hvert bord"),
    ladder_level=4,
    checklist=("Handlingsplanen er sendt til alle deltakerne",),
)

PILOTING = PhaseTemplate(
    key="pilotering",
    name="Pilotering",
    desired_result=(
        "Pilotene er valgt etter kriterier, testet i flere runder sammen med de rette aktørene, og hver er "
        "justert, skalert eller forkastet."
    ),
    suggested_measures=(
        "Velg piloter etter vektede kriterier: effekt på behovet, kostnad ved testen, kapasitet og kompetanse, "
        "samspill med eksisterende tjenester",
        "Sett av penger og folk, så testen varer lenge nok",
        "Kommunen følger opp tid og aktivitet, også der frivilligheten og næringslivet er med",
        "Spør brukerne etter hver runde",
    ),
    key_questions=(
        "Hvilket løsningsalternativ gir antatt best effekt for behovet vi skal svare på?",
        "Hvilket kan testes med minst kostnad og likevel vise om det virker?",
        "Hvilket har vi best forutsetninger for å gjennomføre, i kapasitet og kompetanse?",
        "Hvilket bygger best opp under de løsningene vi har?",
    ),
    responsible_roles=("Pilotenes ansvarlige", "Kommunen"),
    ladder_level=4,
    checklist=("Hver testrunde er analysert og brukerne er spurt",),
)

EVALUATE = PhaseTemplate(
    key="evaluering",
    name="Evaluering",
    desired_result=(
        "Vi vet hvilke resultater pilotene har gitt for flyktningene, og det som virker er en del av kommunens "
        "ordinære tilbud eller drives av andre aktører."
    ),
    suggested_measures=(
        "Evaluer hver pilot etter resultatene for målgruppa",
        "Politisk og administrativ behandling av det som skal skaleres",
        "Del resultatene med alle som var med – og feir det som er oppnådd",
    ),
    key_questions=(
        "Hvilke resultater har pilotene gitt for flyktningene?",
        "Hvem eier løsningene videre?",
        "Hva lærte vi som andre kommuner kan bruke?",
    ),
    responsible_roles=("Prosesseier", "Kommunestyret"),
    ladder_level=5,
    checklist=("Resultatene er delt med deltakerne",),
)

WORKSHOPS = ProcessTemplate(
    key=KEY,
    name="Lokale utviklingsverksteder",
    description=(
        "Kommunen, frivilligheten og arbeidsgivere finner sammen nye løsninger for raskere og bedre integrering "
        "av flyktninger (IMDi / Agenda Kaupang): to verksteder med hjemmelekser imellom, deretter piloter som "
        "testes, justeres, skaleres eller forkastes."
    ),
    phases=(PREPARE, WORKSHOP_1, HOMEWORK, WORKSHOP_2, PILOTING, EVALUATE),
)
