"""Demo data: the three pilot municipalities' real workshops (seed 003, chapter 5 and the
minutes in 7.2) — the needs they found, the ideas, what went on, the homework and the
pilots — moved to recent dates so the demo region shows each stage:

- Kinn (Flora): both workshops held, at Westcon and Origod, without the housing theme;
  the international café scaled up, the qualification path being tested.
- Hamar: both workshops held at the town hall; the revived housing school with host
  families in its second round, mentors for refugees in work planned.
- Tønsberg: workshop 1 held at the adult-education centre, homework under way (the
  rådmann has already decided on a volunteer coordinator), workshop 2 in two days.

People are invented; organisations and content are the seed's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from dugnad.sdk import (
    Activity,
    db,
    Participant,
    participants,
    Phase,
    Poll,
    Process,
    processes,
    Tenant,
    utcnow,
    voting,
)
from dugnad_workshops import polls, room, series, summaries, tablework
from dugnad_workshops.models import Attendance, Homework, Pilot, PilotRound, Summary, Workshop
from dugnad_workshops.template import KEY


@dataclass(frozen=True)
class Idea:
    table: int
    need: int  # index into the table's needs
    title: str
    measure: str
    effect: str = ""
    resources: str = ""
    picked: bool = False
    chosen: bool = False


@dataclass(frozen=True)
class Task:
    idea: str
    owner: str
    questions: tuple[str, ...]
    due: int  # days from today
    findings: str | None = None


@dataclass(frozen=True)
class Trial:
    idea: str
    owner: str
    starts: int  # days from today
    first: str
    target: str
    rounds: tuple[tuple[int, str, str | None, int | None, str | None, str | None], ...] = ()
    # (started days from today, tested, findings, reached, decision, reason)
    evaluation: str | None = None
    reached: int | None = None


@dataclass(frozen=True)
class Demo:
    name: str
    description: str
    phase: str  # the phase the process is in now
    first: tuple[int, int, int, str]  # days from today, start hour, end hour, place
    second: tuple[int, int, int, str]
    themes: tuple[tuple[str, str], ...]
    facilitators: tuple[str, ...]  # one per table, in table order
    people: tuple[tuple[str, str, str, str, str | None], ...]  # key, name, category, e-mail, title
    needs: tuple[tuple[tuple[str, bool], ...], ...]  # per table: (need, prioritised)
    ideas: tuple[Idea, ...]
    homework: tuple[Task, ...] = ()
    sharpened: dict = field(default_factory=dict)  # idea -> (text, rules, budget, rules note, budget note)
    pilots: tuple[Trial, ...] = ()
    preparation: str = ""
    dots: tuple[tuple[str, int], ...] = ()  # the plenary vote: (idea, dots), two dots a person
    scores: tuple[tuple[str, tuple[int, int, int, int]], ...] = ()  # the pilot matrix: (idea, the four criteria 0–5)


PREPARATION = (
    "Bakgrunn: kommunen, frivilligheten og næringslivet møtes for å finne nye løsninger som gir raskere og bedre "
    "integrering av flyktninger. Vi møtes to ganger, med hjemmelekser imellom; hvert verksted tar omtrent fire timer.\n\n"
    "Tenk gjennom før vi møtes:\n"
    "- Hvilke behov, utfordringer og flaskehalser ser du innen bosetting, kvalifisering og sysselsetting, og "
    "deltakelse og inkludering i vår kommune?\n"
    "- Hva kan din organisasjon eller virksomhet – og du selv – bidra med?\n"
    "- Har du gode eksempler eller historier å dele?"
)

KINN = Demo(
    name="Lokale utviklingsverksteder i Flora",
    description="Kvalifisering og sysselsetting, og deltakelse og inkludering – boligetablering er ikke en stor utfordring "
                "i Flora. Verkstedene holdes ute hos næringslivet.",
    phase="pilotering",
    first=(-70, 12, 16, "Westcon AS, Florø"), second=(-56, 12, 16, "Origod AS, Florø"),
    themes=(("qualification_settled", "Hvordan trygge arbeidsgivere ift. å ansette og følge opp flyktninger?"),
            ("participation", "Hvordan skape arenaer og møteplasser for flyktninger og lokalbefolkningen?")),
    facilitators=("ingrid", "terje"),
    people=(
        ("ingrid", "Ingrid Solheim", "municipality", "ingrid.solheim@kinn.demo", "Innvandrarsenteret"),
        ("terje", "Terje Nygård", "volunteer", "terje.nygard@kinn.demo", "Flora frivilligsentral"),
        ("kjell", "Kjell Vik", "business", "kjell.vik@kinn.demo", "Westcon AS"),
        ("anita", "Anita Hope", "social_entrepreneur", "anita.hope@kinn.demo", "Origod AS"),
        ("rune", "Rune Sande", "social_entrepreneur", "rune.sande@kinn.demo", "Flora Nærtjenester"),
        ("elin", "Elin Bø", "business", "elin.bo@kinn.demo", "BB-Servicesystemer"),
        ("gunn", "Gunn Eide", "public_agency", "gunn.eide@kinn.demo", "NAV Flora"),
        ("arve", "Arve Hjelle", "public_agency", "arve.hjelle@kinn.demo", "Flora vidaregåande skule"),
        ("marit", "Marit Sunde", "volunteer", "marit.sunde@kinn.demo", "Røde Kors Flora"),
        ("stig", "Stig Hansen", "volunteer", "stig.hansen@kinn.demo", "Byen Vår Florø"),
        ("hege", "Hege Myklebust", "municipality", "hege.myklebust@kinn.demo", "Flora kommunale mottak"),
        ("pal", "Pål Rygg", "business", "pal.rygg@kinn.demo", "NHO"),
        ("abdi", "Abdi Hassan", "target_group", None, "Tidligere flyktning"),
        ("hiwet", "Hiwet Gebre", "target_group", "hiwet.gebre@kinn.demo", "Tidligere flyktning"),
    ),
    needs=(
        (("Hvordan kartlegge og benytte flyktningens utdanning og erfaring tidligere enn i dag?", True),
         ("Hvordan trygge arbeidsgivere ift. å ansette og følge opp flyktninger?", True),
         ("Hvordan få til bedre språktrening og opplæring?", False),
         ("Praksisplasser fører sjelden til fast jobb", True)),
        (("Hvordan skape arenaer og møteplasser for flyktninger og lokalbefolkningen?", True),
         ("Hvordan kan flyktninger gis en mulighet for inkluderende deltakelse i lokalsamfunnet mens de er i mottak?", True),
         ("Hvordan styrke deltakelsen i arbeid og fritid?", False)),
    ),
    ideas=(
        Idea(0, 0, "Bedre kunnskap om flyktningers kompetanse",
             "Mer lettforståelig og enhetlig formidling av språkkunnskap og kompetanse til bedriftene; en søkbar base.",
             "Bedriftene vet hva flyktningene kan tilby.", "NAV Flora, Innvandrarsenteret, IA-kanalen", picked=True, chosen=True),
        Idea(0, 3, "Lønnsomme praksisplasser",
             "En «pakke» følger flyktningen: kompetanseprofil, dokumentert forståelse av arbeidslivets spilleregler, "
             "opplegg for oppfølging og finansiering.", "Lavere terskel for å ta inn flyktninger i praksis og jobb.",
             "Innvandrarsenteret, Nærtjenesten, Origod, NHO", picked=True, chosen=True),
        Idea(0, 3, "Gode utdanningsløp for flyktninger",
             "Trekantsamarbeid mellom NAV, skole og bedrifter om utdanningsløp mot fagbrev i bransjer som trenger folk.",
             "Varig sysselsetting av flyktninger.", "NAV, Flora vidaregåande skule, BB-Servicesystemer", picked=True, chosen=True),
        Idea(0, 2, "Mer effektiv norskopplæring i mottak",
             "Eksponere flyktningene tidlig for norsk språk, ord, begreper og lokalkunnskap allerede i mottaket."),
        Idea(0, 3, "Samordning om praksisplasser",
             "Et felles møte for alle som etterspør praksisplasser: felles rutiner, infobank og rådgivere."),
        Idea(1, 0, "Internasjonal kafé",
             "Én gang i måneden arrangeres en kafé der flyktninger, etablerte innvandrere og norske møtes; flere bidrar "
             "på omgang.", "Lavere terskler, tillit og nettverk gjennom naturlig dialog.",
             "Flora frivilligsentral, Røde Kors, Byen Vår Florø", picked=True, chosen=True),
        Idea(1, 2, "Jobb-bank for flyktninger",
             "Uløste oppgaver fra kommunen, bedrifter, kirken og lag meldes inn og utføres av flyktninger mot en liten "
             "godtgjørelse.", picked=True),
        Idea(1, 1, "Aktivisering i mottak",
             "Kurs om frivillighet og organisasjonsliv, fulgt av arrangementer der organisasjonene inviterer til aktivitet."),
        Idea(1, 0, "Kulturfestival",
             "Mat- og kulturfestival der flyktninger og nordmenn serverer nasjonal mat og viser fram kulturene sine."),
    ),
    dots=(("Lønnsomme praksisplasser", 7), ("Internasjonal kafé", 6), ("Gode utdanningsløp for flyktninger", 6),
          ("Bedre kunnskap om flyktningers kompetanse", 4), ("Jobb-bank for flyktninger", 1)),
    scores=(("Internasjonal kafé", (4, 5, 5, 4)), ("Gode utdanningsløp for flyktninger", (5, 2, 3, 4)),
            ("Lønnsomme praksisplasser", (4, 3, 3, 3)), ("Bedre kunnskap om flyktningers kompetanse", (3, 3, 2, 4))),
    homework=(
        Task("Lønnsomme praksisplasser", "rune", ("Hva gir dagens 50 timer samfunnskunnskap og arbeidslivstrening?",
                                                  "Hvilke bransjer ser økende behov for arbeidskraft?"), -60,
             "Innvandrarsenteret og attføringsbedriftene evaluerer dagens opplegg; NHO og Virke er kontaktet om hvilke "
             "bransjer som egner seg for praksisplasser."),
        Task("Gode utdanningsløp for flyktninger", "elin", ("Kan renholdsbransjen tilby et kvalifiseringsløp mot fagbrev?",), -60,
             "BB-Servicesystemer vil prøve et løp sammen med Nærtjenesten og Innvandrarsenteret."),
        Task("Internasjonal kafé", "terje", ("Hvor kan kafeen være, og hvem bidrar på omgang?",), -60,
             "Frivilligsentralen stiller lokale; Røde Kors og Byen Vår Florø tar annenhver måned."),
        Task("Bedre kunnskap om flyktningers kompetanse", "gunn", ("Kan NAVs kartleggingsmetodikk være felles basis?",), -60,
             "NAVs registre kan brukes for bosatte yrkessøkere, ikke for dem i introduksjonsprogrammet; tas opp med NAV sentralt."),
    ),
    sharpened={
        "Gode utdanningsløp for flyktninger": ("Kvalifiseringsløp i renhold: teori ved skolen, praksis i BB-Servicesystemer, "
                                               "oppfølging fra Nærtjenesten.", "ok", "partly", None,
                                               "Finansiering av oppfølgingen avklares med NAV."),
        "Internasjonal kafé": ("Første torsdag i måneden på frivilligsentralen; tre organisasjoner på omgang.", "ok", "ok", None, None),
        "Lønnsomme praksisplasser": ("En felles plattform for de utplasserende virksomhetene overfor næringslivet.",
                                     "partly", "partly", "Taushetsplikt ved deling av kompetanseprofil.", "Ingen egen post i dag."),
    },
    pilots=(
        Trial("Internasjonal kafé", "terje", -49, "Avtale lokale og vaktliste med Røde Kors og Byen Vår Florø",
              "Flere flyktninger med nettverk utenfor mottaket og introduksjonsprogrammet.",
              rounds=((-42, "To kafékvelder på frivilligsentralen", "Godt oppmøte, men få norske deltakere", 18, "adjust",
                       "Inviter lag og foreninger med egne bord"),
                      (-21, "To kafékvelder med lag og foreninger til stede", "Dobbelt så mange norske; tre flyktninger ble med "
                       "i et lag", 24, "scale", "Fast tilbud hver måned, i frivilligsentralens drift")),
              evaluation="Kafeen er et fast månedlig tilbud. Tre flyktninger er med i lag og foreninger etter kafékveldene.",
              reached=42),
        Trial("Gode utdanningsløp for flyktninger", "elin", -40, "Velge ut fem deltakere med Innvandrarsenteret",
              "Deltakerne får fast jobb i renhold, med fagbrev som mål.",
              rounds=((-30, "Fem deltakere i praksis hos BB-Servicesystemer, teori én dag i uken", None, 5, None, None),)),
        Trial("Lønnsomme praksisplasser", "anita", 5, "Møte mellom NAV, Innvandrarsenteret, Nærtjenesten og Origod",
              "Flere praksisplasser som fører til ansettelse."),
    ),
)

HAMAR = Demo(
    name="Utviklingsverksteder om bolig og arbeid i Hamar",
    description="Boligetablering, kvalifisering og sysselsetting, og deltakelse og inkludering: kommunen, frivilligheten og "
                "næringslivet på rådhuset.",
    phase="pilotering",
    first=(-42, 17, 21, "Rådhuset, Hamar"), second=(-35, 17, 21, "Rådhuset, Hamar"),
    themes=(("housing", "Hvordan tilrettelegge for botrening og boligoppfølging, så flyktningene blir en ressurs og ikke "
                        "en belastning for nabolaget?"),
            ("qualification_settled", "Hvordan trygge arbeidsgivere slik at flere ansetter flyktningene i ordinær jobb?"),
            ("participation", "Hvordan skape gode arenaer for norsktrening?")),
    facilitators=("hilde", "jon", "kari"),
    people=(
        ("hilde", "Hilde Haugen", "municipality", "hilde.haugen@hamar.demo", "Flyktningtjenesten"),
        ("jon", "Jon Bakken", "volunteer", "jon.bakken@hamar.demo", "Frivillighetssentralen"),
        ("kari", "Kari Koordinator", "municipality", "koordinator@dugnad.demo", "Etableringskoordinator"),
        ("trine", "Trine Lund", "municipality", "trine.lund@hamar.demo", "Boligkontoret"),
        ("per", "Per Øien", "municipality", "per.oien@hamar.demo", "Hamar læringssenter"),
        ("anne", "Anne Sveen", "volunteer", "anne.sveen@hamar.demo", "Frivillighetssentralen"),
        ("bjorn", "Bjørn Moe", "volunteer", "bjorn.moe@hamar.demo", "Røde Kors Hamar"),
        ("lise", "Lise Berg", "business", "lise.berg@hamar.demo", "IKEA Hamar"),
        ("tor", "Tor Aas", "business", "tor.aas@hamar.demo", "Rema 1000"),
        ("mona", "Mona Vik", "social_entrepreneur", "mona.vik@hamar.demo", "Attføringsbedrift"),
        ("geir", "Geir Holm", "public_agency", "geir.holm@hamar.demo", "NAV Hamar"),
        ("ahmed", "Ahmed Yusuf", "target_group", "ahmed@hamar.demo", "Tidligere flyktning, mentor"),
        ("rahel", "Rahel Tesfaye", "target_group", "rahel.tesfaye@hamar.demo", "Tidligere flyktning"),
        ("eva", "Eva Strand", "politics", "eva.strand@hamar.demo", "Miljøpartiet De Grønne"),
        ("farid", "Farid Rahimi", "immigrant_council", "farid.rahimi@hamar.demo", "Innvandrerrådet"),
    ),
    needs=(
        (("Hvordan tilrettelegge for botrening og boligoppfølging, så flyktningene blir en ressurs for nabolaget?", True),
         ("Hvordan trygge det private leiemarkedet slik at de ønsker å leie ut til flyktninger?", True),
         ("Slitasje og skader på kommunale og innleide boliger", False)),
        (("Hvordan trygge arbeidsgivere slik at flere ansetter flyktningene i ordinær jobb?", True),
         ("Hvordan få flyktningene raskere ut i praksis ved tettere kobling mellom språkopplæring og arbeid?", True),
         ("For lite forutsigbarhet for bedrifter som sysselsetter flyktninger", False)),
        (("Hvordan skape gode arenaer for norsktrening?", True),
         ("Hvordan sørge for et godt transportsystem for flyktningene som bor i mottak?", False),
         ("Hvordan samle informasjon om ulike aktiviteter og gjøre den kjent for flyktningene?", False)),
    ),
    ideas=(
        Idea(0, 0, "Revitalisere boligskolen med vertsfamilier",
             "Konsentrert boligskole i kommunens regi, deretter oppfølging hjemme av en frivillig vertsfamilie gjennom året.",
             "Styrket «boevne», færre skader, nettverk i nabolaget.",
             "Flyktningtjenesten, boligkontoret, voksenopplæringen, Frivillighetssentralen", picked=True, chosen=True),
        Idea(0, 1, "CV for «boevne»",
             "Etter boligskole og vertsfamilie får flyktningen et bevis på at de kan være leietakere.", picked=True),
        Idea(0, 2, "Konfliktløsning i bofellesskap", "Noen som kan påta seg meglerrollen når det oppstår konflikter."),
        Idea(1, 0, "Mentorer for flyktninger i arbeid",
             "Pensjonister og kommunalt ansatte som mentorer; mentortilskudd fra NAV og en egen kontaktperson for bedriftene.",
             "Flyktningene raskere ut i varig, lønnet arbeid.", "NAV, IKEA, store butikkjeder, NHO/Virke", picked=True, chosen=True),
        Idea(1, 2, "Næringslivet – what's in it for me?",
             "Personer fra mottak som snakker engelsk inviteres til bedriftene for å fortelle hva de kan.", picked=True),
        Idea(2, 0, "Bedre og flere språkopplæringsarenaer",
             "Språktrening i mottak og i regi av frivillige, koordinert med Hamar læringssenter; vennefamilier og faddere.",
             "Bedre norsk, raskere ut i praksis.", "Hamar læringssenter, Frivillighetssentralen", picked=True, chosen=True),
        Idea(2, 1, "Aktivitetsbuss fra mottaket", "Frivillige organisasjoner kjører på omgang; bedre busstilbud."),
        Idea(2, 2, "Bygge nettverk", "Felles møter med frivilligheten og næringslivet 2–4 ganger i året, en felles nettportal."),
    ),
    dots=(("Revitalisere boligskolen med vertsfamilier", 8), ("Mentorer for flyktninger i arbeid", 7),
          ("Bedre og flere språkopplæringsarenaer", 5), ("CV for «boevne»", 2), ("Næringslivet – what's in it for me?", 2)),
    homework=(
        Task("Revitalisere boligskolen med vertsfamilier", "trine",
             ("Hva i dagens boligskole egner seg for kommunen, og hva for en vertsfamilie?",
              "Hvem skal ha hovedansvaret: boligkontoret, flyktningtjenesten eller voksenopplæringen?"), -36,
             "En gruppe fra boligkontoret, flyktningtjenesten, voksenopplæringen og Frivillighetssentralen har gått gjennom "
             "innholdet; to tidligere flyktninger med boligkarriere er med."),
        Task("Mentorer for flyktninger i arbeid", "lise", ("Hvordan har IKEA tatt imot flyktninger som arbeidskraft?",
                                                            "Kan NAV finansiere mentorordningen?"), -36,
             "NAV har mentortilskudd; IKEA vil dele erfaringene med små og mellomstore bedrifter."),
        Task("Bedre og flere språkopplæringsarenaer", "per", ("Hvilke språkøvingsarenaer finnes hos de frivillige i dag?",), -36,
             "Oversikten er laget; Gjøvik bruker pensjonerte norsklærere i frivilligsentralen."),
    ),
    sharpened={
        "Revitalisere boligskolen med vertsfamilier": ("Boligkontoret har hovedansvaret; Frivillighetssentralen rekrutterer "
                                                       "og lærer opp vertsfamilier.", "ok", "partly", None,
                                                       "Integreringstilskuddet kan dekke opplæringen av vertsfamiliene."),
        "Mentorer for flyktninger i arbeid": ("Ti mentorer fra Norsk Tippings pensjonistgruppe og kommunen, koblet til "
                                             "flyktninger i praksis.", "partly", "ok", "Mentortilskuddet krever avtale med "
                                             "arbeidsgiver.", None),
    },
    pilots=(
        Trial("Revitalisere boligskolen med vertsfamilier", "trine", -30, "Gå gjennom innholdet i dagens boligskole",
              "Færre skader i boligene, og flere går fra å leie til å eie.",
              rounds=((-28, "Fire familier gjennom komprimert boligskole, to vertsfamilier", "Vertsfamiliene trengte mer "
                       "opplæring i avfall og vedlikehold", 4, "adjust", "Egen opplæringskveld for vertsfamiliene"),
                      (-7, "Seks familier, fire vertsfamilier med opplæring", None, 6, None, None))),
        Trial("Mentorer for flyktninger i arbeid", "geir", 7, "Møte med NAV om mentortilskudd",
              "Flere flyktninger i varig, lønnet arbeid etter ett år."),
    ),
)

TONSBERG = Demo(
    name="Utviklingsverksteder i Tønsberg",
    description="Kommunen, frivilligheten og næringslivet på Tønsberg voksenopplæringssenter: koordinering av frivilligheten, "
                "og veien til ordinært arbeid.",
    phase="hjemmelekser",
    first=(-5, 17, 21, "Tønsberg voksenopplæringssenter"), second=(2, 17, 21, "Tønsberg voksenopplæringssenter"),
    themes=(("housing", "Hvordan håndtere nabolagsskepsis ved etablering av mottak og bosetting av flyktninger?"),
            ("qualification_settled", "Hvordan kan flyktninger gis bedre mulighet til sysselsetting?"),
            ("participation", "Hvordan skape arenaer og møteplasser for flyktninger og lokalbefolkningen?")),
    facilitators=("fredrik", "siri", "ola"),
    people=(
        ("fredrik", "Fredrik Fasilitator", "municipality", "fasilitator@tonsberg.demo", "Fasilitator"),
        ("siri", "Siri Dahl", "municipality", "siri.dahl@tonsberg.demo", "Voksenopplæringen"),
        ("ola", "Ola Berg", "volunteer", "ola.berg@tonsberg.demo", "Tønsberg frivilligsentral"),
        ("knut", "Knut Eide", "municipality", "knut.eide@tonsberg.demo", "Rådmann"),
        ("mari", "Mari Solberg", "municipality", "mari.solberg@tonsberg.demo", "Næringssjef"),
        ("eirik", "Eirik Lie", "public_agency", "eirik.lie@tonsberg.demo", "NAV Tønsberg, markedsavdelingen"),
        ("hanne", "Hanne Kro", "business", "hanne.kro@tonsberg.demo", "NHO"),
        ("arne", "Arne Hauge", "business", "arne.hauge@tonsberg.demo", "Lokal entreprenør"),
        ("liv", "Liv Næss", "volunteer", "liv.naess@tonsberg.demo", "Røde Kors Tønsberg"),
        ("mohammed", "Mohammed Ali", "target_group", "mohammed.ali@tonsberg.demo", "Tidligere flyktning"),
        ("sara", "Sara Haile", "target_group", None, "Tidligere flyktning"),
        ("kristin", "Kristin Mo", "politics", "kristin.mo@tonsberg.demo", "Kommunestyret"),
        ("nadia", "Nadia Karimi", "immigrant_council", "nadia.karimi@tonsberg.demo", "Innvandrerrådet"),
        ("randi", "Randi Fosse", "residents", "randi.fosse@tonsberg.demo", "Pensjonert lærer"),
    ),
    needs=(
        (("Hvordan håndtere nabolagsskepsis ved etablering av mottak og bosetting av flyktninger?", True),
         ("Hvordan legge til rette for andre boformer til lavere kostnader?", False),
         ("Hvordan få flyktningene til å forstå pliktene og mulighetene i et bofellesskap?", False)),
        (("Tiltak som gir sysselsetting og språktrening tidligst mulig og leder fram mot fast arbeid", True),
         ("Arbeidsgivere trenger større trygghet og forutsigbarhet for å ansette flyktninger", True)),
        (("Manglende koordinering mellom frivilligheten og kommunen", True),
         ("Hvordan kanalisere støtte til flyktninger i forskjellige situasjoner?", True),
         ("Hvordan styrke deltakelsen i arbeid og fritid?", False)),
    ),
    ideas=(
        Idea(0, 0, "Boligskole og husverter fra frivilligheten", "Etablere en boligskole og bruke husverter fra frivilligheten."),
        Idea(1, 0, "Forsterket oppfølging i arbeidspraksis",
             "Frivillige gir tettere oppfølging av flyktninger i praksis i introduksjonsprogrammet.", picked=True),
        Idea(1, 1, "Hva skal til for at flyktningene kommer ut i ordinært arbeid?",
             "Kartlegge bedriftenes behov og flyktningenes formal- og realkompetanse; mentorer og coacher i reelle jobber.",
             "Flere i ordinært arbeid, ikke bare korte praksisplasser.", "NAV Tønsberg, attføringsbedrifter",
             picked=True, chosen=True),
        Idea(1, 1, "VIPS for flyktninger", "Prøve en tverrfaglig modell for sysselsetting på flyktninger."),
        Idea(2, 0, "Frivillighetskoordinator",
             "Reetablere rollen som frivillighetskoordinator i rådmannens stab, og holde et stormøte med frivilligheten.",
             "Oversikt over frivillige ressurser og kommunale behov; et forum for dialog.", "Rådmannen, frivilligheten",
             picked=True, chosen=True),
        Idea(2, 1, "Ressursbank av frivillige",
             "En base over frivillige som er kartlagt og godkjent på forhånd – språk, medisinsk kompetanse, politiattest.",
             "Frivillige som straks kan følge enslige mindreårige og familier til lege og offentlige kontorer.",
             "Frivillighetskoordinatoren, kaféene for flyktninger", picked=True, chosen=True),
        Idea(2, 2, "Frivillighetsbørs", "En messe der lag, foreninger, bedrifter og kommunen har stand og møter flyktningene."),
        Idea(2, 2, "Spreke lærere", "Nypensjonerte lærere hjelper flyktninger med lekser."),
    ),
    dots=(("Frivillighetskoordinator", 8), ("Ressursbank av frivillige", 7),
          ("Hva skal til for at flyktningene kommer ut i ordinært arbeid?", 5), ("Forsterket oppfølging i arbeidspraksis", 2)),
    homework=(
        Task("Frivillighetskoordinator", "knut", ("Hvor i organisasjonen skal stillingen ligge?",
                                                 "Hva skal rollen være – og ikke være?"), 1,
             "Rådmannen har besluttet å opprette en stilling som frivillighetskoordinator i rådmannens stab. Et stormøte "
             "med frivilligheten er satt opp."),
        Task("Ressursbank av frivillige", "ola", ("Hva må kartleggingsskjemaet spørre om?",
                                                 "Kan kaféene for flyktninger brukes til rekruttering?",
                                                 "Når bør politiattest kreves?"), 1),
        Task("Hva skal til for at flyktningene kommer ut i ordinært arbeid?", "eirik",
             ("Hvilken arbeidskraft trenger bedriftene i regionen?", "Kan attføringsbedriftene gi kvalifiseringsbevis for "
              "realkompetanse?"), 1),
    ),
)

DEMOS = {"kinn": KINN, "hamar": HAMAR, "tonsberg": TONSBERG}


def load(tenant: Tenant) -> list[str]:
    demo = DEMOS.get(tenant.slug)
    if demo is None or db.session.scalar(select(Process.id).where(Process.template_key == KEY)) is not None:
        return []
    build(demo)
    return [f"demo workshop series in {tenant.name}: {demo.name}"]


# --- building ----------------------------------------------------------------------------------


def _person(name: str, category: str, email: str | None, title: str | None) -> int:
    if email:
        found = db.session.scalar(select(Participant.id).where(Participant.email == email))
        if found is not None:
            return found
    basis = "consent" if category in ("target_group", "residents") else \
        "public_task" if category in ("municipality", "politics", "public_agency") else "legitimate_interest"
    return participants.create({"kind": "person", "name": name, "category": category, "email": email, "title": title,
                                "legal_basis": basis, "consent_at": date.today() - timedelta(days=90) if basis == "consent"
                                else None}, source="demo").id


def _at(days: int, hour: int) -> datetime:
    return datetime.combine(date.today() + timedelta(days=days), time(hour))


def _phase(process: Process, key: str) -> Phase:
    return db.session.scalar(select(Phase).where(Phase.process_id == process.id, Phase.key == key))


def _meeting(process: Process, workshop: Workshop, when: tuple[int, int, int, str]) -> None:
    """The workshop's activity; one in the past is written as it was (the service plans only ahead)."""
    days, start, end, place = when
    if days > 0:
        series.schedule(workshop, _at(days, start), _at(days, end), place)
        return
    activity = Activity(process_id=process.id, phase_id=_phase(process, series.PHASE_OF_WORKSHOP[workshop.number]).id,
                        kind="workshop", title=series.title_of(workshop, process), starts_at=_at(days, start),
                        ends_at=_at(days, end), due_date=_at(days, start).date(), location=place, status="done", sequence=0)
    db.session.add(activity)
    db.session.flush()
    workshop.activity_id = activity.id


def _room(workshop: Workshop, demo: Demo, people: dict[str, int], themes: list[int], held_at: datetime | None) -> list:
    tables = []
    for i, host in enumerate(demo.facilitators):
        tables.append(room.add_table(workshop, name=f"Bord {i + 1}", theme_id=themes[i % len(themes)],
                                     facilitator_id=people[host], seats=8))
    hosts = set(demo.facilitators)
    sent = utcnow() - timedelta(days=20)
    for i, (key, *_rest) in enumerate(demo.people):
        if key in hosts:
            continue
        came = held_at is None or i % 9 != 4  # at a held workshop, a no-show or two
        db.session.add(Attendance(workshop_id=workshop.id, participant_id=people[key], invited_at=sent,
                                  response="yes" if came or held_at is None else "no", responded_at=sent,
                                  presence=("present" if came else "absent") if held_at else None))
    db.session.flush()
    room.place_people(workshop)
    if held_at is not None:
        workshop.status, workshop.current_round, workshop.held_at = "held", workshop.rotations, held_at
        workshop.invited_sequence = 0
    return tables


def _ballots(dots: dict[int, int]) -> list[dict[int, int]]:
    """Two-dot ballots (one dot a proposal) that add up to the given dots per option."""
    left = dict(dots)
    made = []
    while sum(left.values()) >= 2:
        first, second = sorted(left, key=lambda o: (-left[o], o))[:2]
        if not left[second]:
            break
        made.append({first: 1, second: 1})
        left[first] -= 1
        left[second] -= 1
    return made


def _closed_at(poll: Poll, when: datetime) -> None:
    poll.status, poll.opened_at, poll.closed_at = "closed", when - timedelta(minutes=20), when


def _plenary_vote(workshop: Workshop, process: Process, solutions: dict, dots: tuple, when: datetime) -> None:
    """The plenary's dot vote as it went: opened, the phones' dots, closed."""
    if not dots:
        return
    poll = voting.create_poll(process, title="Hvilke forslag går videre til verksted 2?", method="dot",
                              phase=_phase(process, "verksted1"), activity=series.activity_of(workshop),
                              description="Alle har to prikker: sett dem på de to forslagene du helst vil ta videre.",
                              options=[{"label": title, "description": solutions[title].measure,
                                        "source_ref": polls.option_ref(solutions[title])} for title, _n in dots],
                              settings={"dots_per_person": polls.DOTS_EACH, "stacking": False},
                              source_ref=polls.vote_ref(workshop))
    voting.open_poll(poll)
    by_ref = {o.source_ref: o.id for o in voting.options_of(poll)}
    ballots = _ballots({by_ref[polls.option_ref(solutions[title])]: n for title, n in dots})
    for (voter, _code), ballot in zip(voting.issue_links(poll, len(ballots)), ballots):
        voting.cast(poll, voter, ballot)
    _closed_at(poll, when - timedelta(hours=1))


def _matrix(process: Process, solutions: dict, scores: tuple, when: datetime) -> None:
    """The steering group's scores on the four criteria, closed."""
    poll = voting.create_poll(process, title="Hvilke løsninger skal vi pilotere?", method="matrix",
                              phase=_phase(process, "pilotering"),
                              options=[{"label": title, "source_ref": polls.option_ref(solutions[title])}
                                       for title, _s in scores], source_ref=polls.matrix_ref(process))
    voting.open_poll(poll)
    by_ref = {o.source_ref: o.id for o in voting.options_of(poll)}
    keys = [c.key for c in poll.criteria]
    for voter, _code in voting.issue_links(poll, 3):
        shift = voter.id % 2  # the three scorers agree on the order, not on every number
        ballot = {by_ref[polls.option_ref(solutions[title])]: {k: max(0, min(5, v - shift * (i % 2)))
                                                                for i, (k, v) in enumerate(zip(keys, values))}
                  for title, values in scores}
        voting.cast(poll, voter, ballot)
    _closed_at(poll, when)


def _summary_sent(workshop: Workshop, when: datetime, note: str) -> None:
    """The summary as it went out (the demo does not send the mail again)."""
    db.session.flush()
    people = summaries.recipients(workshop)
    db.session.add(Summary(workshop_id=workshop.id, note=note, body=summaries.render_text(workshop, note),
                           requested_at=when, sent_at=when, recipients=len(people)))


def build(demo: Demo) -> Process:
    process = series.start(demo.name, None)
    process.description = demo.description
    record = series.series_of(process)
    record.preparation = demo.preparation or PREPARATION
    people = {key: _person(name, category, email, title) for key, name, category, email, title in demo.people}
    themes = [series.add_theme(process, area, question).id for area, question in demo.themes]
    first, second = series.workshops_of(process)
    first.rotations = min(len(demo.facilitators) - 1, 2)
    _meeting(process, first, demo.first)
    _meeting(process, second, demo.second)
    first_held = _at(demo.first[0], demo.first[2])
    tables = _room(first, demo, people, themes, first_held)

    # workshop 1: needs and ideas at the tables, the picks, what went on
    needs = []
    for i, table_needs in enumerate(demo.needs):
        made = []
        for text, prioritised in table_needs:
            need = tablework.add_need(first, tables[i], text, None)
            need.prioritised = prioritised
            made.append(need)
        needs.append(made)
    solutions = {}
    for idea in demo.ideas:
        solution = tablework.add_solution(first, tables[idea.table], {
            "need_id": needs[idea.table][idea.need].id, "title": idea.title, "measure": idea.measure,
            "effect": idea.effect or None, "key_resources": idea.resources or None}, None)
        solution.picked_at = first_held - timedelta(hours=1) if idea.picked else None
        solution.chosen_at = first_held if idea.chosen else None
        solutions[idea.title] = solution
    _plenary_vote(first, process, solutions, demo.dots, first_held)
    first_note = "Takk for en engasjert kveld! Her er oppsummeringen, med spørsmålene til hjemmeleksene."

    # homework, as a task in the process plan
    homework_phase = _phase(process, "hjemmelekser")
    for task in demo.homework:
        solution = solutions[task.idea]
        due = date.today() + timedelta(days=task.due)
        item = Homework(solution_id=solution.id, owner_id=people[task.owner], questions=list(task.questions), due_date=due,
                        findings=task.findings, submitted_at=utcnow() - timedelta(days=1) if task.findings else None)
        activity = Activity(process_id=process.id, phase_id=homework_phase.id, kind="task",
                            title=f"Hjemmelekse: {solution.title}"[:200], owner_id=people[task.owner], due_date=due,
                            description="\n".join(task.questions), status="done" if task.findings else "planned",
                            sequence=0)
        db.session.add_all([item, activity])
        db.session.flush()
        item.activity_id = activity.id
    _summary_sent(first, first_held + timedelta(hours=14), first_note)

    # workshop 2 and the pilots
    if demo.second[0] < 0:
        second_held = _at(demo.second[0], demo.second[2])
        second.rotations = 0
        _room(second, demo, people, themes, second_held)
        for item in db.session.scalars(select(Homework)):
            item.presented_at = second_held - timedelta(hours=3)
        second_note = "Takk for sist! Her er handlingsplanen med ansvarlig, tid og aktivitet for pilotene."
    else:
        second.rotations = 0
        room.copy_tables(first, second)
        sent = utcnow() - timedelta(days=4)
        for i, (key, *_rest) in enumerate(demo.people):
            if key not in demo.facilitators:
                db.session.add(Attendance(workshop_id=second.id, participant_id=people[key], invited_at=sent,
                                          response=None if i % 4 == 3 else "yes", responded_at=sent))
        db.session.flush()
        second.invited_sequence = series.activity_of(second).sequence
        room.place_people(second)
    for title, (text, rules, budget, rules_note, budget_note) in demo.sharpened.items():
        solution = solutions[title]
        solution.sharpened, solution.rules_check, solution.budget_check = text, rules, budget
        solution.rules_note, solution.budget_note = rules_note, budget_note
    pilot_phase = _phase(process, "pilotering")
    for trial in demo.pilots:
        solution = solutions[trial.idea]
        starts = date.today() + timedelta(days=trial.starts)
        pilot = Pilot(process_id=process.id, solution_id=solution.id, title=trial.idea, owner_id=people[trial.owner],
                      starts_on=starts, first_activity=trial.first, target_result=trial.target,
                      evaluation=trial.evaluation, reached=trial.reached, status="planned")
        activity = Activity(process_id=process.id, phase_id=pilot_phase.id, kind="task", title=trial.first,
                            owner_id=people[trial.owner], due_date=starts, status="done" if trial.starts < 0 else "planned",
                            description=f"Første aktivitet i piloten «{trial.idea}».", sequence=0)
        db.session.add_all([pilot, activity])
        db.session.flush()
        pilot.activity_id = activity.id
        for number, (started, tested, findings, reached, decision, reason) in enumerate(trial.rounds, start=1):
            decided = date.today() + timedelta(days=started + 14) if decision else None
            db.session.add(PilotRound(pilot_id=pilot.id, number=number, started_on=date.today() + timedelta(days=started),
                                      ended_on=decided, tested=tested, findings=findings, reached=reached,
                                      decision=decision, reason=reason, decided_on=decided))
            pilot.status = {"scale": "scaled", "drop": "dropped"}.get(decision, "testing")
            if decision in ("scale", "drop"):
                pilot.decided_at = datetime.combine(decided, time(12))
                processes.record_decision(process, None, decided, f"Skalere opp piloten «{trial.idea}»"
                                          if decision == "scale" else f"Forkaste piloten «{trial.idea}»", reason, None,
                                          pilot_phase.id)
    db.session.flush()
    if demo.scores:
        _matrix(process, solutions, demo.scores, _at(demo.second[0] + 5, 12))
    if demo.second[0] < 0:
        _summary_sent(second, second_held + timedelta(hours=20), second_note)
    current = _phase(process, demo.phase)
    processes.move_to(process, current.id, "Demo: verkstedene er kommet hit i arbeidet.", None)
    return process
