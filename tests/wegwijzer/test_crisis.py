"""The crisis guard must catch acute danger and acute lack, and must not fire
on arrears, late payments or the housing 'urgentie' (NLU contract rule 1)."""

from __future__ import annotations

import pytest

from wegwijzer.crisis import crisis_signals


@pytest.mark.parametrize(
    "text",
    [
        "hij wil zelfmoord plegen",
        "mijn cliënt zegt dat hij er een eind aan wil maken",
        "ze zegt dat iedereen beter af is zonder haar",
        "haar man slaat haar en ze durft niet naar huis",
        "de kinderen hebben vandaag niks gegeten",
        "hij slaapt vannacht op straat",
        "morgen komt de deurwaarder om het huis te ontruimen",
        "vrijdag wordt het gas afgesloten",
        "ze heeft pillen verzameld",
        # Medical emergencies (contract rule 1), and the signals in English.
        "mijn buurman is bewusteloos, wat moet ik doen",
        "mijn vader heeft pijn op de borst en zweet",
        "ze ademt niet meer",
        "my neighbour wants to kill himself",
        "she says everyone is better off without her",
        "her husband beats her and she is scared to go home",
        "the kids have nothing to eat",
        "he is sleeping on the street tonight",
        "my dad is unconscious",
        "i think my mum is having a stroke",
    ],
)
def test_crisis_signals_are_caught(text: str) -> None:
    assert crisis_signals().match(text)


@pytest.mark.parametrize(
    "text",
    [
        "hij heeft twee maanden huurachterstand",
        "ze heeft een aanmaning van de energieleverancier gekregen",
        "de huurtoeslag komt te laat",
        "kan mijn zus urgentie aanvragen voor een woning",
        "ik doe mijn best maar het slaat nergens op",
        "de deurwaarder legt beslag op haar loon",
        "hij heeft een zorgverzekering afgesloten",
        "mijn broer sliep vroeger op straat, nu heeft hij een kamer en wil hij een briefadres",
        "slaap lekker en tot morgen",
        "de app reageert niet meer",
        "my neighbour lost his digid",
        "the website is not responding",
        "she has a heart for her neighbours",
        "he had chest x-rays for his uwv check last year",
        "a stroke of luck: the letter came in time",
        "we are afraid the toeslagen will be late",
    ],
)
def test_ordinary_worries_are_not_a_crisis(text: str) -> None:
    assert crisis_signals().match(text) is None
