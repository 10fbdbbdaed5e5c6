"""The no-profile check: demographics used as reason or colour are found; music named after peoples is not."""

from __future__ import annotations

import pytest

from ltr.respond.checks import profile_claims
from ltr.respond.entities import CatalogNames


@pytest.mark.parametrize(
    "reply, claim",
    [
        ("As a Brazilian listener, you will love this one.", "As a Brazilian listener"),
        ("As an American fan of the genre, you know this sound.", "As an American fan"),
        ("As a young listener you might not know it.", "As a young listener"),
        ("Perfect for someone in your thirties!", "in your thirties"),
        ("Many listeners in their twenties keep this on repeat.", "in their twenties"),
        ("At your age, this could become a staple.", "your age"),
        ("Someone your age will know the chorus.", "your age"),
        ("A classic for a 34-year-old like you.", "34-year-old like you"),
        ("As a woman, you may hear it differently.", "As a woman"),
        ("As a man who likes rock, try this.", "As a man"),
        ("As a guy into metal, you'll dig it.", "As a guy"),
        ("A girl like you deserves a good chorus.", "A girl like you"),
        ("As an African-American listener, you will spot the roots.", "As an African-American listener"),
        ("Latino fans adore this groove.", "Latino fans"),
        ("It's big with Asian listeners.", "Asian listeners"),
        ("White listeners rarely find this one.", "White listeners"),
        ("As a Black listener you may know it.", "As a Black listener"),
        ("This speaks to your Latina heritage.", "your Latina heritage"),
        ("People in Brazil love this track.", "People in Brazil"),
        ("Across Brazil, music like this travels well.", "Across Brazil"),
        ("Throughout Poland it is a wedding staple.", "Throughout Poland"),
        ("I hope it lands well wherever you are in Germany.", "wherever you are in Germany"),
        ("Hope it brightens your evening in Canada!", "your evening in Canada"),
        ("Americans love this kind of hook.", "Americans"),
        ("It is a hit in your country.", "your country"),
        ("Since you're Brazilian, this should click.", "you're Brazilian"),
    ],
)
def test_demographic_claims_are_found(reply, claim):
    assert claim in profile_claims(reply)


@pytest.mark.parametrize(
    "reply",
    [
        'Here is a Black Sabbath track, "Paranoid", with heavy riffs.',
        "Some Latin jazz to warm up the evening.",
        "American Football wrote this emo classic.",
        "Try Asian Kung-Fu Generation next!",
        "30 Seconds to Mars open this one with a big chorus.",
        "Straight out of the 90s, like you asked.",
        "A 20-minute epic that builds slowly.",
        "A 40-year-old classic that still sounds fresh.",
        "Black metal for a black metal fan.",
        "As a Brazilian classic, it belongs in any playlist.",
        "Some Brazilian jazz and French house for later.",
        "As a fan of the band, you will know this one.",
        "Tuned with your Anglo-American ear in mind.",
        "White noise and drones, as you wanted.",
    ],
)
def test_music_named_after_peoples_is_not_a_claim(reply):
    assert profile_claims(reply) == []


def test_catalog_names_are_not_claims_but_do_not_hide_countries():
    names = CatalogNames(["Brazilian Girls", "Kingdom", "Japan"])
    reply = "A Brazilian Girls track for tonight."
    assert profile_claims(reply) == ["Brazilian Girls"]  # without the catalog it reads as people
    assert profile_claims(reply, names=names) == []
    assert profile_claims("Hope it lands wherever you are in the United Kingdom.", names=names) == [
        "wherever you are in the United Kingdom"
    ]


def test_the_turns_profile_adds_its_country_and_age():
    turn = {
        "country_name": "Brazil",
        "age": 34,
        "age_group": "30s",
        "gender": "female",
        "message": "Something calm?",
    }
    reply = "A calm one from Brazil, a Brazilian favourite. At 34 you'll know it."
    assert profile_claims(reply) == []  # nothing generic
    assert profile_claims(reply, turn) == ["Brazil", "Brazilian", "At 34"]
    assert profile_claims("A calm one by Japan.", {**turn, "country_name": "Japan"}) == []  # an artist credit


def test_what_the_listener_said_is_not_a_profile():
    turn = {"country_name": "Brazil", "message": "Any Brazilian songs that people in Brazil dance to?"}
    assert profile_claims("People in Brazil dance to this, a Brazilian favourite.", turn) == []
    # ... but only the country they named.
    assert profile_claims("People in Chile dance to this.", turn) == ["People in Chile"]
    assert profile_claims("As a woman, you'll like it.", turn) == ["As a woman"]


def test_template_replies_to_anonymous_listeners_have_no_claims(tiny_ds):
    import random

    import polars as pl

    from ltr.respond import ResponseRequest, TemplateResponder

    # Known users' turns made anonymous, profile fields left in: the template must not use them, and the
    # check, which reads the profile, must find nothing.
    turns = tiny_ds.turns("dev").with_columns(
        pl.lit("").alias("user_id"), pl.lit("anonymous").alias("user_kind")
    )
    assert turns["country_name"].drop_nulls().len()
    ids = tiny_ds.catalog["track_id"].to_list()
    rng = random.Random(0)
    requests = [ResponseRequest(t, [t["gold"], *rng.sample(ids, 9)]) for t in turns.iter_rows(named=True)]
    replies = TemplateResponder(tiny_ds.catalog, seed=0, p_personal=1.0).respond(requests)
    names = CatalogNames.from_catalog(tiny_ds.catalog)
    assert [c for q, r in zip(requests, replies) if (c := profile_claims(r, q.turn, names))] == []
