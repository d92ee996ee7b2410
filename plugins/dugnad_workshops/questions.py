"""Innovation questions to start from, per theme area: the list the national actors and
the three pilot municipalities made together (seed 003, figure 2, "Bruttoliste over
identifiserte behov og utfordringer"). A municipality picks from it or writes its own.

An innovation question addresses a clear need, holds a vision and contains no
solution; it is short, clear and makes people want to act (seed 003, §4.1.2).
Norwegian, as it is what the participants read.
"""

from __future__ import annotations

QUESTIONS: dict[str, tuple[str, ...]] = {
    "housing": (
        "Hvordan legge til rette for selvbosetting av flyktninger?",
        "Hvordan trygge det private utleiemarkedet slik at de ønsker å leie ut til flyktninger?",
        "Hvordan håndtere nabolagsskepsis ved etablering av mottak og bosetting av flyktninger?",
        "Hvordan håndterer man behovet for ulike boligtyper i forbindelse med bosetting?",
        "Hvordan gjøre det mer attraktivt å være fosterforelder for enslige mindreårige flyktninger, "
        "for også å løse bosettingen?",
        "Hvordan få kommunene til å utnytte det private utleiemarkedet til bosetting?",
    ),
    "qualification_reception": (
        "Hvordan få til bedre språktrening og opplæring i mottak?",
        "Hvordan kan flyktninger i mottak få en begynnende yrkestrening?",
        "Hvordan kan flyktninger gis bedre mulighet til kvalifiserende aktivisering?",
    ),
    "qualification_settled": (
        "Hvordan få til bedre språktrening og opplæring?",
        "Hvordan kartlegge og benytte flyktningens utdanning og erfaring tidligere enn i dag?",
        "Hvordan kan flyktninger gis bedre mulighet til aktivisering?",
        "Hvordan kan flyktninger gis bedre mulighet til sysselsetting?",
        "Hvordan kan flyktninger få yrkestrening i lokalsamfunnet?",
        "Hvordan støtte opp om enslige mindreåriges utdanningsløp?",
        "Hvordan trygge arbeidsgivere når de skal ansette og følge opp flyktninger?",
    ),
    "participation": (
        "Hvordan kan flyktninger gis en mulighet for inkluderende deltakelse i lokalsamfunnet mens de er i mottak?",
        "Hvordan skape arenaer og møteplasser for flyktninger og lokalbefolkningen?",
        "Hvordan styrke deltakelsen i arbeid og fritid?",
        "Hvordan mobilisere støtte til flyktninger i forskjellige situasjoner?",
        "Hvordan få på plass gode rollemodeller for enslige mindreårige?",
    ),
}


def suggestions(area: str) -> tuple[str, ...]:
    return QUESTIONS.get(area, ())
