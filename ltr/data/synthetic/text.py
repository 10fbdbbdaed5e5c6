"""Message skeletons of the simulated listener and recommender: goals, requests, reactions, replies, thoughts.

The listener speaks from its goal, profile and the previous track; it never sees the next gold. Only
some skeletons name an artist, title or tag, many are vague, and the words a listener uses for moods
overlap only partly with folksonomy tags. The recommender names the track it plays (and sometimes
fails with "Unknown message"); thoughts are short rationales or empty.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .vocab import ACTIVITIES, DECADE_CHAT, MOODS, THEMES

# ---- intents of a listener turn ----------------------------------------------------------------------
MORE = "more"  # more like this
SAME_ARTIST = "same_artist"
ALBUM = "album"
NEW_ARTIST = "new_artist"
SHIFT_UP = "shift_up"  # more energy
SHIFT_DOWN = "shift_down"  # calmer
SHIFT_MOOD = "shift_mood"
SHIFT_ERA = "shift_era"
NAMED = "named_artist"
GOAL = "goal"  # restate the goal
FRUSTRATED = "frustrated"
DIFFERENT = "different"  # something different altogether
QUESTION = "question"  # a question about the music ("what makes it stand out?")

VISUALS = (
    "a person on a skateboard in mid-air", "a blue sky with stylised figures", "abstract geometric shapes in purple",
    "a black and white photo of a crowd", "a burning car on a beach", "a faded polaroid of a house",
    "a neon city skyline at night", "a close-up of an eye", "a hand reaching out of water", "a glowing figure on a road",
    "a pastel drawing of a cat", "a collage of old magazine cutouts", "a desert with a lone tree", "a red balloon",
    "a dark forest with fog", "a cartoon skull", "a retro car under palm trees", "a cracked mirror",
    "a girl in a yellow raincoat", "a spaceship over mountains", "a painting of a stormy sea", "bright graffiti letters",
)
_OPPOSITE = {
    "calm": "energetic", "sad": "happy", "happy": "sad", "energetic": "calm", "aggressive": "calm",
    "dark": "uplifting", "dreamy": "energetic", "romantic": "aggressive", "epic": "calm", "nostalgic": "energetic",
    "groovy": "dreamy", "uplifting": "dark",
}
USER_CLOSERS = (
    "I'm really enjoying where this is going.", "Thanks for your patience with me!", "This is turning into a great playlist.",
    "I feel like we're getting closer.", "Let's keep exploring.", "I'm curious what else you can find.",
    "No rush, take your time.", "I trust your taste so far.", "Honestly, this is fun.", "We're almost there, I think.",
    "I want to get this just right.", "That would make my day.",
)
ASSISTANT_EXTRAS = (
    "The production is warm and the vocals sit right up front.", "It builds slowly and opens up beautifully.",
    "The arrangement leaves a lot of space, which gives it a really intimate feel.",
    "It's one of those songs that reveals more with every listen.", "The chorus is incredibly memorable.",
    "The rhythm section really drives it forward.", "It has a timeless quality that I think you'll connect with.",
    "The lyrics are thoughtful without being heavy-handed.", "It's a bit of a hidden gem.",
    "It should fit right in with what you've enjoyed so far.", "It carries a similar emotional weight.",
)
DETAILS = (
    "driving drums", "a catchy chorus", "shout-along vocals", "a hypnotic groove", "lush strings", "a raw, gritty edge",
    "a warm analog sound", "soaring vocals", "a slow build", "a big, anthemic chorus", "intricate guitar work",
    "a deep bassline", "sparse production", "layered harmonies", "a dark undertone", "a bittersweet melody",
    "a laid-back rhythm", "fuzzy guitars", "glitchy beats", "a cinematic feel", "heartfelt lyrics", "clever wordplay",
    "storytelling lyrics", "a dreamy haze", "punchy horns", "a steady pulse", "an organic, acoustic feel",
    "a nostalgic warmth", "a driving rhythm section", "a hushed, intimate vocal", "an uplifting message",
    "a swaggering confidence", "a melancholic piano line", "an epic, sweeping sound", "a lo-fi texture",
)
_FILLER_LIKES = (
    "the vocals", "the production", "the melody", "the guitar work", "the beat", "the atmosphere", "the chorus",
    "the lyrics", "the bassline", "the energy", "the mood", "the arrangement", "the drums", "the build-up",
)


@dataclass
class Attrs:
    """What a session is about, in chat words; drawn once per session from the goal and the focus scene."""

    genre: str  # chat word for the genre, e.g. "metal"
    scene: str  # scene tag, e.g. "doom metal"
    mood: str  # mood key
    mood2: str  # a second mood key
    decade: int
    activity: str
    theme: str
    instrument: str
    culture: str
    visual: str
    details: tuple[str, ...] = ()  # session-specific sound details the listener keeps coming back to
    others: tuple[str, ...] = ()  # artists the listener likes (from the profile; may be outside the pool)


@dataclass
class Prev:
    """The previous turn's track as the listener and recommender refer to it."""

    title: str
    artist: str
    album: str
    tags: list[str]
    mood: str


REACTION_KINDS = ("liked", "liked_but", "mixed", "soft", "rejected")


def bare_of(phrase: str) -> str:
    """'a slow build' -> 'the slow build' (for "especially ..." constructions)."""
    return re.sub(r"^(a|an) ", "the ", phrase)


def bare(phrase: str) -> str:
    """'a slow build' -> 'slow build' (for 'that ... ' constructions)."""
    return re.sub(r"^(a|an) ", "", phrase)


def goal_object(goal: str) -> str:
    """'find multiple songs whose lyrics ...' -> 'multiple songs whose lyrics ...'."""
    g = goal.rstrip(".")
    g = re.sub(r"^(explore and discover|discover|find|identify|find the)\s+", "", g, flags=re.IGNORECASE)
    return g


def clean_title(title: str, r: random.Random) -> str:
    """How people quote a title: usually without '- Remastered' or '(feat. ...)' decorations."""
    if r.random() < 0.8:
        title = re.split(r" - | \(feat\.| \[feat\.", title)[0]
    return title


class Voice:
    """Builds every message from one seeded ``random.Random``."""

    def __init__(self, rnd: random.Random):
        self.r = rnd

    # ---- small helpers ----------------------------------------------------------------------------------
    def c(self, *options: str) -> str:
        return self.r.choice(options)

    def mood_word(self, key: str) -> str:
        return self.r.choice(MOODS[key][1])

    def era(self, decade: int) -> str:
        return self.r.choice(DECADE_CHAT.get(decade, ("a while back",)))

    def activity(self, key: str) -> str:
        return self.r.choice(ACTIVITIES[key][0])

    def theme(self, key: str) -> str:
        return self.r.choice(THEMES[key][0])

    def quote(self, title: str) -> str:
        q = self.c('"', '"', '"', "'")
        return f"{q}{title}{q}"

    def join(self, *parts: str) -> str:
        return " ".join(p.strip() for p in parts if p and p.strip())

    def an(self, word: str) -> str:
        return ("an " if word[:1].lower() in "aeiou" else "a ") + word

    def detail(self, a: Attrs) -> str:
        return self.r.choice(a.details) if a.details and self.r.random() < 0.7 else self.r.choice(DETAILS)

    def other(self, a: Attrs) -> str | None:
        return self.r.choice(a.others) if a.others else None

    def elaboration(self, a: Attrs, positive: bool) -> str:
        """A sentence about sound, mood or meaning; mostly words that no track's metadata holds."""
        r = self.r
        d = self.detail(a)
        m = self.mood_word(a.mood)
        o = self.other(a)
        opts = [
            f"I love how it has {d}.", f"{self.c(*_FILLER_LIKES).capitalize()} really {self.c('stands out', 'pulls me in', 'works for me')}.",
            f"It has that {m} feel I was hoping for, with {d}.", f"That {m} atmosphere is exactly my thing.",
            f"It reminds me of {self.era(a.decade)}.", f"I'm really into {self.theme(a.theme)} lately.",
            f"Something about {d} just clicks for me.",
        ] if positive else [
            f"I was hoping for more of {d}.", f"It's missing {d}, which is what I'm after.",
            f"It doesn't have that {m} feel.", f"I want something that feels more {m}.",
            f"I'm not into {self.c(*_FILLER_LIKES)} on this one.",
        ]
        if o and r.random() < 0.5:
            opts += [f"It kind of reminds me of {o}.", f"I'm thinking of something closer to {o}.",
                     f"Something in the vein of {o} would be ideal.", f"I've been listening to a lot of {o} lately."]
        return r.choice(opts)

    def goal_context(self, a: Attrs, positive: bool) -> str:
        """A sentence restating what the listener is after (real listeners keep their goal in view)."""
        m, m2, d = self.mood_word(a.mood), self.mood_word(a.mood2), self.detail(a)
        return self.c(
            f"I'm looking for something that feels {m} and {m2}, ideally with {d}.",
            f"This is for {self.activity(a.activity)}, so something {self.c('not too distracting', 'that keeps the flow going', 'with a steady feel')} would be ideal.",
            f"That's the kind of {a.genre} I keep coming back to, {self.c('especially', 'mostly', 'above all')} when it has {d}.",
            f"I really want to {self.c('explore', 'dig into', 'get to know')} more {a.scene}, {'so this is a great start' if positive else 'so I need something closer to it'}.",
            f"Something with {d} and a {self.c('clear', 'strong', 'distinct')} {m2} {self.c('mood', 'edge', 'atmosphere')} would be perfect.",
            f"{self.c('Lyrics', 'Songs', 'Tracks')} about {self.theme(a.theme)} would be a bonus.",
        )

    # ---- the goal -----------------------------------------------------------------------------------------
    def listener_goal(self, cat: str, spec: str, a: Attrs, artist: str | None) -> str:
        r = self.r
        multi = spec[1] == "L"
        many = self.c("discover multiple songs", "find multiple songs", "explore and discover various songs") if multi else self.c(
            "find one specific song", "identify a specific track", "find the one song"
        )
        m1, m2 = self.mood_word(a.mood), self.mood_word(a.mood2)
        detail = spec[0] == "H"
        if cat == "A":
            s = f"{many} with {self.an(m1)}{', ' + m2 if detail else ''} {a.genre} sound"
            if detail:
                s += f", focusing on prominent {a.instrument} and {self.c('strong rhythms', 'rich production', 'distinctive vocals', 'a steady groove')}"
        elif cat == "B":
            s = f"{many} whose lyrics explore {self.theme(a.theme)}" + (f", with {m1} {a.genre} storytelling" if detail else "")
            if not multi:
                s = f"find one specific song remembered by vague lyrical content about {self.theme(a.theme)}"
        elif cat == "C":
            s = (f"{many} with album art featuring {a.visual}" if multi else f"find one specific {a.genre} album remembered by its cover showing {a.visual}")
        elif cat == "D":
            s = f"{many} suitable for {self.activity(a.activity)}" + (f", {m1} and not too distracting" if detail else "")
        elif cat == "E":
            s = (f"find what specifically they like about a seed song{' by ' + artist if artist and detail else ''} through guided discovery, "
                 f"leading to one key realization about its {self.c('musical elements', 'mood', 'production', 'vocals')}")
        elif cat == "F":
            s = (f"explore and discover various {a.scene} music{' without specific constraints' if not detail else ' with a ' + m1 + ' mood'}"
                 if multi else f"identify a specific {a.scene} artist from vague memories of their {m1} sound")
        elif cat == "G":
            s = f"{many} that feel {m1}{' and ' + m2 if detail else ''}, {self.c('to match my mood', 'to set the mood', 'for a specific mood rather than a genre')}"
        elif cat == "H":
            who = artist if (artist and detail) else f"influential {a.scene} artists"
            s = f"{many} by {who}{' from ' + self.era(a.decade) if detail else ''}"
        elif cat == "I":
            cult = a.culture or self.c("international", "non-English", "global")
            s = f"{many} from {cult} music culture{', focusing on ' + m1 + ' ' + a.genre if detail else ''}"
        elif cat == "J":
            s = f"{many} that are widely recognized or considered classics in {a.scene}" + (f" from {self.era(a.decade)}" if detail else "")
        else:  # K
            s = f"{many} that capture the sound of {a.genre} from {self.era(a.decade)}" + (f", especially {m1} {a.scene}" if detail else "")
        if r.random() < 0.25:
            s = s[0].upper() + s[1:]
        return s + ("." if r.random() < 0.5 else "")

    # ---- turn 1 ---------------------------------------------------------------------------------------------
    def first_request(self, cat: str, spec: str, a: Attrs, artist: str | None, seed_title: str | None) -> str:
        r = self.r
        m1, m2 = self.mood_word(a.mood), self.mood_word(a.mood2)
        detail = spec[0] == "H"
        if cat == "A":
            s = self.c(
                f"I'm looking for songs with a really {m1} {a.genre} sound.",
                f"Can you find me some {m1} tracks? Something with {a.instrument} up front.",
                f"I want music that sounds {m1} and {m2}.",
                f"Got anything {m1} with a good {self.c('groove', 'beat', 'melody', 'atmosphere')}?",
                f"Play me something {m1}, maybe {a.scene}?",
            )
        elif cat == "B":
            s = self.c(
                f"I'm looking for songs with really meaningful lyrics about {self.theme(a.theme)}.",
                f"Do you know any {a.genre} songs about {self.theme(a.theme)}?",
                f"I want songs that tell a story about {self.theme(a.theme)}.",
                "I'm looking for songs that tell a good story.",
                f"There's a song I half remember, the lyrics were about {self.theme(a.theme)}. Can you help me find it?",
            )
        elif cat == "C":
            s = self.c(
                f"I'm trying to find an album, I only remember the cover: {a.visual}.",
                f"Can you find {a.genre} music with album art that shows {a.visual}?",
                f"Music that feels {m1}, with album art to match.",
                f"There's a record with {a.visual} on the cover, I think it was {a.genre}. Any idea?",
            )
        elif cat == "D":
            s = self.c(
                f"I need some music for {self.activity(a.activity)}.",
                f"What would you play for {self.activity(a.activity)}? Something {m1}.",
                f"Got any suggestions for {m1} tracks that would be great for {self.activity(a.activity)}?",
                f"I'm {self.c('about to start', 'getting ready for', 'planning')} {self.activity(a.activity)}, can you put something on?",
            )
        elif cat == "E":
            if seed_title and artist and r.random() < 0.7:
                s = self.c(
                    f"I really like {self.quote(seed_title)} by {artist}, but I'm not sure why. Can you help me figure out what appeals to me?",
                    f"There's something about {self.quote(seed_title)} that I love and I can't put my finger on it.",
                    f"I keep coming back to {artist}'s {self.quote(seed_title)}. What is it about that song?",
                )
            else:
                s = self.c(
                    "I really like this song, but I'm not sure why. Can you help me understand what about it appeals to me?",
                    f"I love a certain {a.genre} song and I want to understand what makes it click for me.",
                )
        elif cat == "F":
            s = self.c(
                f"I want to explore some {a.scene}. Where should I start?",
                f"I'm new to {a.genre}, can you show me around?",
                f"There's an artist I can't remember, they make really {m1} {a.scene}. Any ideas?",
                "I want to discover some new artists. Do you have anything that's a bit different?",
                f"Recommend me some {a.scene}, anything goes.",
            )
        elif cat == "G":
            s = self.c(
                f"I'm feeling kind of {m1} today, can you play something that matches?",
                f"I want something that makes me feel {m1}.",
                f"I'm in {self.an(m1)} mood. What have you got?",
                f"Can you play something {m1} to {self.c('lift my spirits', 'match my mood', 'help me unwind', 'get me going')}?",
            )
        elif cat == "H":
            if artist and r.random() < 0.75:
                s = self.c(
                    f"Can you play something by {artist}?",
                    f"I've been really into {artist} lately, any recommendations?",
                    f"I love {artist}. What else do you have from them or artists like them?",
                    f"Play me some {artist}, please.",
                )
            else:
                s = self.c(
                    f"Who are some influential {a.scene} artists from {self.era(a.decade)}?",
                    f"I want to hear the pioneers of {a.scene}.",
                    f"Can you recommend some artists that shaped {a.genre}?",
                )
        elif cat == "I":
            cult = a.culture or self.c("different cultures", "around the world", "other countries")
            s = self.c(
                f"I want to discover music from {cult}, something {m1}.",
                f"Can you play some {a.genre} that isn't from the US or UK?",
                f"I'd love to hear music from {cult}.",
            )
        elif cat == "J":
            s = self.c(
                f"What are some classic {a.genre} songs everyone knows?",
                f"Play me {self.an(a.scene)} classic.",
                f"I want the big hits of {a.scene}.",
                f"What are the most popular {a.genre} tracks from {self.era(a.decade)}?",
            )
        else:  # K
            s = self.c(
                f"I'm looking for {a.genre} songs from {self.era(a.decade)}.",
                f"Take me back to {self.era(a.decade)}, something {m1}.",
                f"Do you have anything that sounds like the {a.scene} scene from {self.era(a.decade)}?",
                f"I want to hear what {a.genre} sounded like in {self.era(a.decade)}.",
            )
        if detail and r.random() < 0.6:
            s = self.join(s, self.c(
                f"Ideally {m2}, with {a.instrument}.",
                f"Something from {self.era(a.decade)} would be great.",
                f"Maybe along the lines of {a.scene}.",
                f"I like {self.c(*_FILLER_LIKES)} to be {self.c('front and center', 'really clear', 'a bit raw')}.",
                f"Something with {self.an(m2)} vibe.",
            ))
        return s

    # ---- reactions to the previous track --------------------------------------------------------------------
    def reaction(self, kind: str, p: Prev, a: Attrs, name_p: float, run_same: int = 0) -> str:
        """What the listener says about the previous track, the way real listeners do: polite, often long,
        praise with a "but", mixed verdicts, outright rejections. ``kind`` (see ``REACTION_KINDS``):

        - ``liked``: praise (the pick moves toward the goal);
        - ``liked_but``: praise, then a new direction that is not a complaint ("But now I'd love...");
        - ``mixed``: polite praise, then what is wrong with it ("X is nice, but it's a bit too mellow");
        - ``rejected``: an outright no ("No, that's not it either.");
        - ``soft``: a mild no ("Hmm, close, but not quite.").
        The track is named with probability ``name_p``.
        """
        r = self.r
        title = self.quote(clean_title(p.title, r)) if r.random() < name_p else self.c("this one", "this track", "that one", "it")
        named = not title.startswith(("this", "that", "it"))
        lead = title[:1].upper() + title[1:] if not named else title
        by = f" by {p.artist}" if named and r.random() < 0.3 else ""
        m = self.mood_word(p.mood) if r.random() < 0.6 else self.mood_word(a.mood)
        m2 = self.mood_word(a.mood2)
        opp = self.mood_word(_OPPOSITE.get(p.mood, "calm"))
        nice = self.c("nice", "great", "lovely", "cool", "solid", "catchy", "a fun one", "beautiful", "a good track")
        detail = self.detail(a)
        if kind in ("liked", "liked_but"):
            s = self.c(
                f"Yes! {lead}{by} is exactly what I was looking for!",
                f"Yes, this is {self.c('perfect', 'fantastic', 'excellent', 'great')}! {lead}{by} captures that {m} {self.c('sound', 'vibe', 'feel')} {self.c('perfectly', 'beautifully', 'so well')}.",
                f"{lead}{by} is {self.c('lovely', 'great', 'fantastic', 'gorgeous', 'really good')}, I really enjoy it!",
                f"Oh, {title} is {self.c('beautiful', 'awesome', 'a classic', 'so good')}!",
                f"Perfect, {title} really hits the spot.",
                f"I love {p.artist}, great pick!",
                f"This is so good! It has exactly the {m} atmosphere I wanted.",
                f"Absolutely! {lead} is another excellent track that fits perfectly.",
                f"Yes, that's it! You nailed it with {title}.",
                f"Wow, this is much better, I'm really feeling the {m}, {m2} mood.",
                f"{p.artist} is always a good shout, and {title} is a great choice.",
                f"That's a great pick, {title} has that {m} feel I wanted.",
            )
            if r.random() < 0.55:
                s = self.join(s, self.c(
                    f"It really captures that {m} feel, especially {bare_of(detail)}.",
                    f"{self.c(*_FILLER_LIKES).capitalize()} is {self.c('wonderful', 'spot on', 'just right', 'gorgeous')}.",
                    "These last few suggestions really hit the spot!",
                    "You really get what I'm going for.",
                    f"It's exactly the kind of {a.genre} I was hoping for.",
                    "Thank you!",
                    f"I'm really drawn into this {self.c('sound', 'mood', 'atmosphere')}.",
                ))
            return s
        if kind == "mixed":
            problem = self.c(
                f"it's a bit too {opp} for what I'm imagining",
                f"it's not quite the {m2} feel I'm after",
                f"it's missing {detail}",
                "it doesn't quite capture the feeling I'm going for",
                f"I was really hoping for something more {m2}",
                f"it feels a bit off for {self.activity(a.activity)}",
                "it's not the song I mean",
                f"it's a bit more on the {opp} side",
                *((f"I've now heard plenty from {p.artist}",) * (2 if run_same else 0)),
            )
            aspect = self.c(f"and definitely has that {m} touch", "and definitely from the right era",
                            f"with a nice {bare(detail)}", "and I can see why you picked it", "")
            s = self.c(
                f"{lead}{by} is {nice}{', ' + aspect if aspect else ''}, but {problem}.",
                f"While I appreciate {p.artist}, {problem}.",
                f"Okay, another {p.artist} track, {self.c('nice', 'fine', 'sure')}. But {problem}.",
                f"That's a good guess, but {problem}.",
                f"{lead} is {nice}. However, {problem}.",
                f"I can see why you went with {title}, but {problem}.",
                f"It's good to hear {p.artist}, I appreciate that. But {problem}.",
            )
            return s
        if kind == "soft":
            return self.c(
                "Hmm, close, but not quite.",
                f"That's a good direction, but I need something {self.c('more', 'a bit more')} {m2}.",
                "This is getting closer, but it's still not quite there.",
                f"That's a fun one, but I was really hoping for something with {detail}.",
                f"Not bad, but {title} doesn't really do it for me." if named else "Not bad, but it doesn't really do it for me.",
                "It's okay, but it's not really clicking.",
            )
        # rejected
        s = self.c(
            "No, that's not it either.",
            "That's not it at all.",
            "This is still not quite hitting the mark.",
            "Hmm, that's not really working for me.",
            f"No, {title} isn't it." if named else "No, this isn't it.",
            f"{lead} is way too {opp} for me.",
            "Not really feeling this one.",
            f"Sorry, but {title} misses what I asked for.",
        )
        if r.random() < 0.6:
            s = self.join(s, self.c(
                f"It's too {opp}, completely missing the {m2} mood.",
                "It's not the sound I remember.",
                f"I'm not feeling {self.c(*_FILLER_LIKES)}.",
                "It feels too polished.",
                f"It doesn't have that {m2} feel at all.",
                f"Another {p.artist} song isn't what I asked for.",
            ))
        return s

    # ---- requests after the first turn ----------------------------------------------------------------------
    def request(self, intent: str, a: Attrs, p: Prev, named: str | None, goal_text: str, n_same: int, shift_mood: str,
                positive: bool = True) -> str:
        r = self.r
        m = self.mood_word(a.mood)
        if intent == MORE:
            s = self.c(
                f"Can you recommend another one with that same {m} feel?",
                "Keep them coming!",
                "More like this, please.",
                f"Do you have any other {a.genre} tracks like that?",
                f"What else do you have that's {m}?",
                "Can you find more songs like this?",
                f"Any more {a.scene} along those lines?",
                f"Something else in that {m} {a.genre} vein?",
                "What else have you got?",
            )
        elif intent == SAME_ARTIST:
            s = self.c(
                f"Can you play another one by {p.artist}?",
                "More from them, please!",
                "What else do they have?",
                f"I'd love to hear more {p.artist}.",
                "Another one by the same band?",
                f"Got anything else from {p.artist}?",
            )
        elif intent == ALBUM:
            s = self.c(
                f"Anything else from {self.quote(p.album)}?",
                "Is there another good track on that album?",
                f"Can you play something else from the album {p.album}?",
            )
        elif intent == NEW_ARTIST:
            s = self.c(
                "Could you recommend something similar but from a different artist?",
                "I'd love to discover some new artists with this sound.",
                "Can you play something by someone I haven't heard before?",
                f"Can you suggest another {m} track by a different band?",
                "I'm open to other artists with that kind of sound.",
                f"Now can you find me a new artist that does {a.scene} like this?",
            )
        elif intent == FRUSTRATED:
            s = self.c(
                f"I keep getting {p.artist} songs, and while I like them, I really want to discover new artists.",
                f"I've asked multiple times now for other bands. Please, something that isn't {p.artist}.",
                f"I've heard {n_same + 1} songs from {p.artist} now. Can you please branch out?",
                f"Look, I appreciate the {p.artist} suggestions, but I'm trying to find {a.genre} by *other* artists.",
            ) if positive else self.c(
                "This isn't working. Can you please focus on what I asked for?",
                f"I keep getting {p.artist}. Please, something by other artists.",
                f"I've asked multiple times now for other bands. Please, something that isn't {p.artist}.",
            )
        elif intent == SHIFT_UP:
            s = self.c(
                "Can we go for something more upbeat?", "Something with a bit more energy, please.",
                "Maybe something heavier this time?", f"Can you pick up the pace? Something {self.mood_word('energetic')}.",
                "Let's turn it up a notch.",
            )
        elif intent == SHIFT_DOWN:
            s = self.c(
                "Something a bit calmer now.", "Can you slow it down a little?", f"I'd like something more {self.mood_word('calm')}.",
                "Maybe something less intense?", "Something softer for the next one.",
            )
        elif intent == SHIFT_MOOD:
            s = self.c(
                f"Can you switch it up with something {self.mood_word(shift_mood)}?",
                f"I'm in the mood for something more {self.mood_word(shift_mood)} now.",
                f"What about something {self.mood_word(shift_mood)}, but still {a.genre}?",
            )
        elif intent == SHIFT_ERA:
            s = self.c(
                f"Do you have something from {self.era(a.decade)}?",
                "Something older maybe?", "Can you find something more recent?",
                f"Maybe something closer to {self.era(a.decade)}?",
            )
        elif intent == NAMED:
            s = self.c(
                f"Maybe something by {named}?",
                f"Do you have anything like {named}?",
                f"What about {named}? I love them.",
                f"Could you play something from {named} or a similar band?",
                f"Something in the style of {named} would be great.",
            )
        elif intent == QUESTION:
            s = self.c(
                f"What makes {self.quote(clean_title(p.title, r))} stand out musically?",
                f"Why do I like {p.artist}'s sound so much?",
                "Can you help me understand what about it appeals to me?",
                f"How would you describe the {m} quality in their music?",
                "What is it about this song that keeps pulling me in?",
                f"What do {p.artist}'s songs have in common that I keep coming back to?",
            )
            if r.random() < 0.5:
                s = self.join(s, self.c("And can you play me another one like it?", "Then play something else like it.",
                                        "Maybe play another one that shows it."))
        elif intent == DIFFERENT:
            s = self.c(
                "Can you play something different?", "Let's try something completely different.",
                "Surprise me with something else.", f"Something different, maybe not {a.genre} at all?",
            )
        else:  # GOAL
            s = self.c(
                f"I'm really looking for {goal_object(goal_text)}.",
                f"Remember, I want {self.c('songs', 'music', 'tracks')} about {self.theme(a.theme)}.",
                f"I'm still after that {m} {a.genre} sound.",
                f"What I really want is something {m} for {self.activity(a.activity)}.",
                f"Can you focus on {a.scene}?",
                f"I was hoping for more {m} stuff.",
            )
        if r.random() < 0.3:
            s = self.join(s, self.c(
                f"Maybe with some {a.instrument}?",
                f"Something from {self.era(a.decade)} would be nice.",
                f"I really like {self.c(*_FILLER_LIKES)} to stand out.",
                "I'm open to anything.",
                f"Still {m}, though.",
                "Thanks!",
                f"Something that feels {self.mood_word(a.mood2)}.",
            ))
        return s

    def user_message(self, reaction: str, request: str, a: Attrs | None = None, kind: str = "liked") -> str:
        """The listener's whole message: the reaction, often a sentence more about the sound or the goal, the
        request, sometimes a tail and a closing remark (real messages run ~250 characters). ``liked_but`` ties
        the request to the praise with a "but now" / "next": a new direction, not a complaint."""
        r = self.r
        positive = kind in ("liked", "liked_but")
        if kind == "liked_but":
            connector = self.c("But now,", "Now,", "Next,", "That said,", "But this time,", "Now that we've found that,",
                               "But I'm actually curious:")  # fmt: skip
            body = self.join(reaction, connector, request[:1].lower() + request[1:])
        else:
            extra = self.elaboration(a, positive) if a is not None and r.random() < 0.8 else ""
            body = self.join(reaction, extra, request)
        if a is not None and r.random() < 0.6:
            body = self.join(body, self.goal_context(a, positive))
        tail = ""
        if a is not None and r.random() < 0.3:
            o = self.other(a)
            tail = self.c(
                f"Maybe something with {self.detail(a)}?",
                f"Something from {self.era(a.decade)} would be great.",
                f"I'm open to anything {self.mood_word(a.mood2)}.",
                (f"I also like {o}, if that helps." if o else "I'm open to anything."),
                f"Ideally with {self.detail(a)}.",
            )
        close = self.c(*USER_CLOSERS) if r.random() < 0.3 else ""
        msg = self.join(body, tail, close)
        if msg and msg[0] in "\"'" and r.random() < 0.35:
            msg = msg[1:]  # the real data often lost the opening quote of a leading title
        if r.random() < 0.004:
            msg += "thought: " + self.c("The RecSys keeps missing the point.", "I should restate my goal.")
        return msg

    # ---- thoughts and replies -----------------------------------------------------------------------------
    def user_thought(self, turn: int, positive: bool, p: Prev | None, goal_text: str) -> str:
        if turn == 1 or p is None:
            return ""
        r = self.r
        if r.random() < 0.03:
            return ""
        title = clean_title(p.title, r)
        ev = (self.c("sounds promising for my goal", "fits what I asked for", "is a good step", "matches the mood I want")
              if positive else self.c("doesn't really fit my goal", "misses what I asked for", "is too far from what I want",
                                       "is not what I had in mind"))
        plan = self.c(
            "I should give clear feedback and ask for more.", "I need to refine my request.",
            "I will ask for something closer to my goal.", "I'll keep asking for recommendations.",
            "I should steer the RecSys towards what I want.",
        )
        goal = goal_text.rstrip(".")
        return f'The RecSys recommended "{title}" by {p.artist}. It {ev}. My goal is to {goal[:1].lower() + goal[1:]}. {plan}'

    def music_thought(self, intent: str, title: str, artist: str, tags: list[str], a: Attrs) -> str:
        r = self.r
        x = r.random()
        if x < 0.04:
            return ""
        if x < 0.06:
            return f"Found track via fuzzy matching: {title} by {artist}"
        t1 = r.choice(tags) if tags else a.genre
        want = {
            MORE: f"more tracks with that {self.mood_word(a.mood)} feel", SAME_ARTIST: f"another track by {artist}",
            ALBUM: "another track from the same album", NEW_ARTIST: "a different artist with a similar sound",
            FRUSTRATED: "new artists", SHIFT_UP: "something more energetic", SHIFT_DOWN: "something calmer",
            NAMED: "a specific artist", DIFFERENT: "something different",
        }.get(intent, f"{self.mood_word(a.mood)} {a.genre}")
        return self.c(
            f'The listener is looking for {want}. "{title}" by {artist} fits with its {t1} character.',
            f'The listener specifically asked for {want}. "{title}" by {artist} matches this, with a {t1} sound they should enjoy.',
            f"You're clearly enjoying this direction, so I'm picking \"{title}\" by {artist}, {self.an(t1)} track.",
            f'"{title}" by {artist} fits the request for {want}.',
        )

    def assistant(self, title: str, artist: str, album: str, tags: list[str], prev_positive: bool, a: Attrs, turn: int,
                  prev: Prev | None = None) -> str:
        r = self.r
        if r.random() < 0.017:
            return "Unknown message"
        q = f'"{title}"'
        t1 = r.choice(tags) if tags and r.random() < 0.6 else self.mood_word(a.mood)
        pt = f'"{clean_title(prev.title, r)}"' if prev is not None else "that one"
        if turn == 1:
            opener = self.c("Absolutely!", "Great request!", "I hear you!", "Ah, I totally get what you're looking for!",
                            f"I'd love to help you find some {a.genre}.", "", "")
        elif prev_positive:
            opener = self.c(
                "I'm so glad you liked that one!", f"I'm so glad {pt} hit the spot for you!", "Awesome!",
                f"Glad {pt} resonated with you!", "That's fantastic!", "Great to hear!",
                f"Glad you're enjoying {prev.artist if prev else 'these'}!", "",
            )
        else:
            opener = self.c(
                "Got it!", "I hear you!", "Alright, let me try something else.", "Understood.", "Sorry about that!",
                f"Sorry {pt} missed the mark.", "Thanks for the feedback!", "",
            )
        bridge = ""
        x = r.random()
        o = self.other(a)
        if x < 0.2:
            bridge = f"Since you're into {self.mood_word(a.mood)} {a.scene},"
        elif x < 0.32:
            bridge = f"To keep that {bare(self.detail(a))} going,"
        elif x < 0.42 and o:
            bridge = f"If you like {o},"
        elif x < 0.5:
            bridge = "For something a little different,"
        pick = self.c(
            f"how about {q} by {artist}?", f"I think {q} by {artist} would be perfect.",
            f"you might really enjoy {q} by {artist}.", f"check out {q} by {artist}.", f"let's try {q} by {artist}.",
            f"here's {q} by {artist} for you.", f"I highly recommend {q} by {artist}.",
            f"you should really check out {q} by {artist}.", f"I think you'll love {q} by {artist}.",
        )
        if not bridge:
            pick = pick[0].upper() + pick[1:]
        desc = self.c(
            f"It has that {t1} feel you're after.", f"It's got a really {self.mood_word(a.mood)} vibe.",
            f"It keeps that {t1} energy going.", f"It has {self.detail(a)} that I think you'll appreciate.",
            f"It's a great example of {a.scene}.", f"It's {self.an(self.mood_word(a.mood2))}, {t1} track with {self.detail(a)}.",
            f"It's from the album {album} and has a great {t1} sound." if r.random() < 0.4 else f"It has a great {t1} sound.",
            (f"Fans of {o} tend to love it." if o else "I think you'll love it."), "",
        )
        extra = self.c(*ASSISTANT_EXTRAS) if r.random() < 0.45 else ""
        closer = self.c("Enjoy!", "Give it a listen!", "Let me know what you think!", "I think you'll love it.", "", "", "")
        return self.join(opener, bridge, pick, desc, extra, closer)
