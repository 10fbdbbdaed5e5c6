"""Phrase banks of the template responder, written in the ``ltr.respond.grammar`` syntax.

``(a|b)`` picks one alternative, ``{name}`` is a fact filled in afterwards, ``<MACRO>`` is one of the
shared alternations below (expanded when this module loads). A pattern is used only when every fact it
names is known for the reply (see ``TemplateResponder``), so no pattern claims what the facts do not
support. Only catalog names go in double quotes: the entity checks rely on it.

Facts: title, artist, artist_pos (the artist with 's), album, prev_title, prev_artist, t2, a2, t3, a3,
tags (the track's tags the message names), htags (named earlier), tag1, tag2 (descriptive tags),
mood_word, mood_tag, a_mood_tag ("an epic"), year, decade, a_decade ("an 80s"), same_title, ask (the listener's words),
want (what they asked for, from ask / mood / decade / tags), age_words, country, language, culture, a_culture ("an American").
"""

from __future__ import annotations

_MACROS = {
    # How a title is tied to its artist.
    "<BY>": "(by|from|by|performed by|recorded by|courtesy of)",
    # The track as a subject (third person singular).
    "<IT>": '(it|this one|the track|the song|"{title}"|this pick|this tune)',
    "<ASKED>": "(you asked for|you requested|you were after|you wanted|you called for|you hoped for|you had in mind)",
    "<SAID>": "(you mentioned|you brought up|you named|you talked about|you flagged|you raised)",
    "<FIT>": "(fits|matches|suits|answers|meets|lines up with|speaks to)",
    "<GOOD>": "(good|great|strong|solid|natural|lovely|fitting)",
    "<LISTENERS>": "(listeners|fans|people|music lovers|taggers|crowds online)",
}


def _x(*patterns: str) -> tuple[str, ...]:
    out = []
    for pattern in patterns:
        for macro, alternation in _MACROS.items():
            pattern = pattern.replace(macro, alternation)
        out.append(pattern)
    return tuple(out)


OPEN_FIRST = _x(
    "(Great|Nice|Lovely|Fun|Cool|Neat) (request|brief|starting point|place to start|ask)(!|.)",
    "(Oh, |Ooh, |Right, |)(I've got|I have|I think I have) (just the thing|something good|a good one|an idea) for (you|this)(.|!)",
    "(Let's|Okay, let's|Alright, let's|Right, let's) (get (started|going)|kick things off|dive in|start (here|with this one)).",
    "(Happy|Glad|Excited|Delighted) to (help with this|dig into this|find you something|take this on)(!|.)",
    "(Oh,|Ooh,|Mm,|Hey,) (fun|good|great|nice) (one|question|challenge|prompt)(.|!)",
    "(Love|I love|I really like) (this kind of|a) (request|brief|mission)(.|!)",
    "(What a|Such a) (great|fun|lovely|nice|neat) (way|place) to (start|begin|open)(.|!)",
    "(Sure thing|Absolutely|Of course|With pleasure|Gladly|Certainly)(.|!)",
    "(Count me in|I'm on it|On it|Challenge accepted|Leave it to me)(.|!)",
    "(This|That) (sounds like|is) (a fun one|my kind of (search|brief|request|quest))(.|!)",
    "(Right|Okay|Alright), (here's|this is) (where I'd start|my opening pick|a first idea|my first shot)(.|!)",
    "(Good|Great|Nice) (call|idea|question)(, to start with|, right off the bat|)(.|!)",
    "(Let me|Allow me to) (set the tone|open things up|get us rolling)(.|!)",
    "(Ooh|Oh|Hmm), (let me think|I know just the (track|song|one))(.|!)",
    "(You've come to the right place|Say no more|Consider it done)(.|!)",
)

OPEN_LIKED = _x(
    '(Glad|Happy|So glad|Great to hear|Nice to hear) "{prev_title}" (worked|clicked|landed|hit the spot|did the trick|won you over) for you(!|.)',
    "(Nice|Great|Sweet|Lovely), {prev_artist} (went down well|was a hit|struck a chord|got it right|delivered)(!|.)",
    '(Love that|Great that|Glad|Happy) you\'re (enjoying|into|vibing with|digging|warming to) "{prev_title}"(!|.)',
    "(Awesome|Brilliant|Excellent|Wonderful|Perfect|Fantastic)(!|.) (Let's|We'll) (keep|stay on|build on|ride) (that|this) (thread|path|streak|momentum|wave)(.|!)",
    "(Awesome|Brilliant|Excellent|Wonderful|Perfect|Fantastic), so (let's|we'll) (keep|stay on|build on|ride) (that|this) (thread|path|streak|momentum|wave)(.|!)",
    "(Music to my ears|Good to hear|That's great to hear|Love to hear it|That makes me happy)(.|!)",
    "(So happy|Thrilled|Delighted|Pleased) (the last one|that pick|the last song|my last pick) (worked|clicked|landed|connected) (for|with) you(.|!)",
    '(Yes|Yay|Nice|Oh good)! "{prev_title}" (is a good one|was a (great|fun|good) (find|pick)|really (delivers|fits))(.|!)',
    "(Great|Good) (feedback|to know)(, thanks|)(.|!) (Let's|We'll) (keep (going|rolling)|stay in (this|that) (lane|zone|groove))(.|!)",
    "(Since|As) \"{prev_title}\" (hit home|worked so well|landed|clicked), (let's|I'll) (keep the thread going|follow that lead|stay close to it)(.|!)",
    "(Happy|Glad|Pleased) {prev_artist} (did it|did the job|clicked|worked out) for you(!|.)",
    '(So|Okay, so) "{prev_title}" (was a keeper|earned its spot|passed the test)(!|.)',
    "(Yes|Excellent|Great)! (That|This) (thread|direction|lane) (is working|is paying off|is on point|seems to work)(.|!)",
    "(Nice|Great|Glad) (you're|you are) (on board with|sold on|happy with) {prev_artist}(.|!)",
)

OPEN_REJECTED = _x(
    '(Fair enough|Got it|Understood|No problem|Noted)(,|.) "{prev_title}" (wasn\'t|was not) (quite|really) (it|the one|your thing|right)(.|!)',
    "(Sorry|My bad|Apologies) (that |){prev_artist} (missed|didn't land|fell flat|was off the mark|wasn't a match)(.|!)",
    "(Okay|Alright|Right), (let's|time to) (change|switch) (course|direction|gears|tack)(.|!)",
    "(Thanks for the honesty|Thanks for telling me|Good to know|Thanks for the feedback|Appreciate the honesty)(.|!) (Let's|I'll) try (a different angle|another direction|something else|a fresh approach)(.|!)",
    '(Point taken|Heard you|Totally fair|Fair point) on "{prev_title}"(.|!)',
    '(No worries|No harm done), (let\'s|we\'ll) (leave "{prev_title}" behind|move past "{prev_title}"|set "{prev_title}" aside)(.|!)',
    "(Hmm|Ah|Oh), (not quite|no luck) (there|this time)(.|!) (Let me|I'll) (try again|take another swing|take another shot)(.|!)",
    "(Understood|Noted|Fair), {prev_artist} (isn't|wasn't) (the vibe|what you wanted|quite right)(.|!)",
    "(Let's|Okay, let's) (pivot|course-correct|try a new angle|shake things up)(.|!)",
    '(Scratch|Forget|Skip) "{prev_title}"(, then|)(.|!)',
    "(Back to|Returning to) the drawing board(, then|)(.|!)",
    "(Right|Okay), \"{prev_title}\" (missed|wasn't a hit|didn't do it)(. | - )(Fresh|New) (angle|attempt) (coming up|below|then)(.|!)",
)

OPEN_NEUTRAL = _x(
    "(After|Following|Coming off) \"{prev_title}\" <BY> {prev_artist}, (let's|I'd like to) (keep (going|moving)|take (a step|another step)|follow up)(.|!)",
    "(Sure thing|Of course|Absolutely|On it|Got it|You got it)(.|!)",
    '(Building|Following|Picking up) (on|from) "{prev_title}"(,|) (I\'ve|I have) (another|one more|a new) (idea|pick|suggestion)(.|!)',
    "(Okay|Alright|Right), (next up|one more|here's another|another idea)(.|!)",
    "(Let's|We can) keep (exploring|going|digging|searching)(.|!)",
    "(Noted|Understood|Heard|Gotcha)(.|!)",
    "(With {prev_artist} (behind us|in the mix|still in the air)|After {prev_artist}), (here's|this is) (what comes next|the next step)(.|!)",
    "(Here we go|Here goes|Let's see|Ready)(.|!)",
    "(Good|Nice|Interesting) (point|thought|direction|turn)(.|!)",
    '(Keeping|With) "{prev_title}" (in mind|as a reference|as our anchor)(,|) (here\'s|I have) (a follow-up|the next one)(.|!)',
    "(Moving|Pressing|Rolling) (on|ahead|forward)(.|!)",
    "(Noted, and|Okay, and|Right, and) (here's|this is) (the|my) (next|follow-up) (idea|move)(.|!)",
)

PICK = _x(
    'I(\'d| would) (go with|suggest|recommend|point you to|reach for) "{title}" <BY> {artist}(.|!)',
    '(Try|Put on|Queue up|Check out|Spin) "{title}" <BY> {artist}(.|!)',
    'Give "{title}" <BY> {artist} a (spin|listen|try|go|shot)(.|!)',
    '(My|The) (pick|choice|suggestion|recommendation) (here|this time|for now) (is|would be) "{title}" <BY> {artist}.',
    '(How about|What about|Why not try|Fancy) "{title}" <BY> {artist}?',
    '(Here\'s|Here is) "{title}" <BY> {artist}(.|!)',
    '{artist} (has|made|recorded) (just the song|the perfect track|a great fit|a strong candidate) (for this|here|for you): "{title}".',
    '(I think|I\'d bet|My guess is|I have a feeling) "{title}" <BY> {artist} (will|could|should|might) (be (just right|perfect|a great fit|your thing)|hit the spot|land well|fit the bill)(.|!)',
    'You (might|may|could|should|will) (really |)(like|love|enjoy|dig) "{title}" <BY> {artist}(.|!)',
    '(Next up|Up next|Coming up)(:|,) "{title}" <BY> {artist}(.|!)',
    'Let\'s (go with|try|put on|listen to) "{title}" <BY> {artist}(.|!)',
    '"{title}" <BY> {artist} (seems like|feels like|looks like|could be|should be) (a <GOOD> (fit|match|pick|next step)|the one)(.|!)',
    '(Have|Take) a listen to "{title}", a (track|song|cut|number) <BY> {artist}(.|!)',
    'I(\'ve| have) (got|picked|lined up|found|pulled up) "{title}" <BY> {artist} for you(.|!)',
    '(Press play on|Start with|Go for) "{title}" <BY> {artist}(.|!)',
    '(Allow me to|Let me) (suggest|recommend|offer) "{title}" <BY> {artist}(.|!)',
    '(The|One) (song|track) (I keep coming back to|that comes to mind|I\'d queue) (here|now|for you) is "{title}" <BY> {artist}.',
    '{artist_pos} "{title}" (feels like|looks like|seems like) (the right|a good|a strong) (call|move|answer)(.|!)',
    '(Consider|Try|Cue) "{title}" <BY> {artist} next(.|!)',
    '(Cue up|Line up|Slot in) "{title}" <BY> {artist}(.|!)',
    '(For this one|This time|Right now), (I\'m|I am) (betting on|going with|leaning toward) "{title}" <BY> {artist}(.|!)',
    '(Here\'s a thought|An idea|A suggestion|One for you): "{title}" <BY> {artist}(.|!)',
    '(Time for|Now playing:|On deck:) "{title}" <BY> {artist}(.|!)',
    '(Spin up|Fire up|Pull up) "{title}" <BY> {artist}(.|!)',
)

# Reason-first picks: what the listener wanted, then the track.
LEAD = _x(
    "(You asked for|You wanted|You're after|You're in the mood for|You mentioned) {want}, so (here's|I picked|let's try|I'd go with) \"{title}\" <BY> {artist}.",
    "(For|To match) {want}, (try|I'd suggest|I'd pick|consider) \"{title}\" <BY> {artist}(.|!)",
    '(With|Keeping) {want} in mind, (I landed on|I chose|I found|here\'s) "{title}" <BY> {artist}(.|!)',
    '(Since|Because|As) you (asked for|wanted|mentioned) {want}, "{title}" <BY> {artist} (is|seems like) (my|the) (pick|answer|choice)(.|!)',
    '(When it comes to|Speaking of) {want}, "{title}" <BY> {artist} (is hard to beat|fits nicely|stands out)(.|!)',
    '(If|Since) {want} is (the goal|what you\'re craving|on the menu), "{title}" <BY> {artist} (should|will|ought to) (deliver|do it|fit)(.|!)',
)

# Reason clauses: lowercase, no final punctuation; each names only what its facts establish.
REASONS: dict[str, tuple[str, ...]] = {
    "tags": _x(
        "<IT> carries the {tags} (tag|label|tags) <SAID>",
        "{tags} is (right there in|all over|at the heart of|written into|stamped on) its (tags|description|profile)",
        "<LISTENERS> tag it {tags}, (just|exactly|precisely) what (you described|you asked for|you were after)",
        "<IT> (leans|sits) (squarely|firmly|right) in {tags} territory, (as|like) (you wanted|you asked)",
        "its tags (say|read|include|spell out) {tags}, (matching|echoing|lining up with|mirroring) your (request|message|words)",
        "(you said|you named|you typed) {tags}, and that's (exactly|precisely) how (<LISTENERS> tag it|it's tagged|it's filed)",
        "<IT> (is filed under|wears the tag|gets tagged|is labelled) {tags}, which is (your|the) (brief|ask|request) (in a word|to a tee|exactly)",
        "(on paper|by its tags|by the catalog's account) <IT> is {tags}, (your|the) (exact|very) (words|request|ask)",
        "the {tags} (label|tag) (is|sits) on it, (a direct|a clean|a straight) (hit|match|answer) (for|to) (your message|what you typed|your ask)",
    ),
    "htags": _x(
        "<SAID> {htags} earlier, and <IT> (delivers on|leans into|keeps|honors|circles back to) that",
        "<IT> (keeps|holds on to|carries) the {htags} (thread|thing|side|strand) (you raised|you asked about|from before|you started with)",
        "(earlier|a few messages back|before|at the start) (you wanted|you named|you asked for) {htags}, and it's tagged (that way|just so|accordingly)",
        "(the|your) {htags} (request|wish|thread) from (earlier|before|the start) (still|very much) (holds|applies|shapes this pick) (here|too)",
        "<IT> (remembers|does not forget|stays true to) (your|the) {htags} (ask|request|idea) from (earlier|a while back)",
    ),
    "mood": _x(
        "<IT> has the {mood_tag} (feel|vibe|quality|edge) (you wanted|you were after) when you asked for something {mood_word}",
        "its {mood_tag} (side|character|mood|streak) <FIT> your (call|wish|request) for something {mood_word}",
        "(you wanted|you asked for|you said) {mood_word}, and <LISTENERS> (call|tag|describe) it {mood_tag}",
        "the {mood_tag} (tag|label) (on it|it carries) (fits|suits|backs up) the {mood_word} (mood|feel|vibe) (you described|you asked for)",
        "<IT> (reads as|comes across as|is tagged) {mood_tag}, a (close|good|neat) (cousin|match|twin) of the {mood_word} (mood|feel) (you described|you wanted)",
        "(for|if you want) {mood_word}, {a_mood_tag} (track|song|number|piece) (like this|such as this) (is|makes) (a safe|an easy|a natural) (bet|call|choice)",
    ),
    "era_asked": _x(
        "<IT> is {a_decade} (release|track|song|recording) from {year}, (right|squarely|firmly) in the era (you asked for|you mentioned|you wanted)",
        "<IT> (dates from|comes from|was released in) {year}, (so|which puts) it (sits |lands |)(right|firmly|squarely) in the {decade}",
        "(you wanted|you asked for|you mentioned) the {decade}, and <IT> (came out|was released|dropped) in {year}",
        "<IT> is (straight|right) out of the {decade}(, {year} to be exact|, a {year} (release|recording)|)",
        "{year} is (its|the) release year, (bang|right|squarely) in the {decade} (you wanted|you asked for)",
        "(the|your) {decade} (request|brief|wish) is (covered|honoured|met): (it|this) (landed|came out|hit shelves) in {year}",
    ),
    "era": _x(
        "<IT> (came out|was released|dropped|arrived|first appeared|hit shelves) (back |)in {year}",
        "<IT> is {a_decade} (cut|track|song|release|gem) from {year}",
        "<IT> (dates|comes) from {year}",
        "(its|the) release year (is|was) {year}",
        "{year} (gave us|brought) (this one|this track|this song)",
    ),
    "same_artist": _x(
        '<IT> stays with {artist}, (whom|who) you (already |)heard (earlier|before) with "{same_title}"',
        '<IT> is (more|another one|another track) from {artist}, (following|after) "{same_title}" (earlier|before|from before)',
        '(it keeps|we keep) {artist} (in the rotation|in play|on the turntable) (after|following) "{same_title}"',
        'you (already |)(met|heard) {artist} (through|with|via) "{same_title}", and this (goes deeper|digs further|shows another side)',
        '(like|just like) "{same_title}" (earlier|before), it\'s {artist} (at work|behind it|at the helm)',
        '{artist} (again|once more|one more time): (after|following) "{same_title}", (this|here) (is|comes) (a|another) (fresh|new|different) (angle|side|chapter)',
        '<IT> (brings back|returns to|circles back to) {artist}, (the|that same) (act|artist|name) behind "{same_title}"',
        '(since|as) "{same_title}" (came from|was by) {artist} (too|as well), <IT> (keeps|holds) (the|that) (continuity|connection|link)',
        '<IT> (shares|has) (an|the same) artist with "{same_title}", (namely|that is|so) {artist}',
        '(staying|sticking|carrying on) with {artist} (after|beyond|past) "{same_title}" (felt|seemed|looked) (right|natural|like the move|like a safe bet)',
        '{artist} (returns|is back|reappears|makes a comeback) (here|now|this turn), (picking up|following on|continuing) from "{same_title}"',
        '(a second|another|one more) {artist} (song|track|cut) (after|to follow|alongside) "{same_title}" (keeps|holds|carries) (the|that) (mood|feel|momentum|vibe)',
    ),
    "asked_artist": _x(
        "(you asked for|you wanted|you requested) {artist} (by name|directly|specifically)",
        "it's {artist}, (as|just as|exactly as) (you requested|you asked|you wanted)",
        "<SAID> {artist}, so (I went straight there|that's where I looked|I followed that lead)",
        "{artist} (was|is) (your|the) (named|explicit|direct) (request|pick|ask), (so|and) (here|this) (it is|they are)",
    ),
    "ask": _x(
        "<IT> <FIT> your (ask|request|wish|call) for {ask}",
        "you're (after|looking for|in the mood for) {ask}, and (this|it) (delivers|fits the bill|ticks that box)",
        "(it|this) (speaks to|lines up with|goes straight at) (what you said|your words|your message) about {ask}",
        "(your|the) (request|ask|wish) for {ask} (shaped|drove|guided) (this|the) (pick|choice)",
    ),
    "describe": _x(
        "<LISTENERS> (file|tag|describe) it (as|under) {tag1} and {tag2}",
        "<IT> (carries|wears|has) (the|both) {tag1} and {tag2} (tags|labels)",
        "<IT> is tagged {tag1}(, with a (touch|hint|dash) of| and) {tag2}",
        "(think|picture|imagine) {tag1} (meeting|crossed with|shading into) {tag2}",
        "(its|the) (tags|labels) (point to|suggest|say) {tag1} (first|above all), (then|and also|with a bit of) {tag2}",
        "{tag1} (on one side|up front), {tag2} (on the other|underneath|in the background): (that's|so goes) (its|the) (tag|catalog) (profile|description)",
        "the {tag1} and {tag2} (tags|labels) (on it|it carries) (sum it up|say a lot|tell the story)",
    ),
    "describe1": _x(
        "<LISTENERS> (file|tag|describe) it (as|under) {tag1}",
        "<IT> (carries|wears|has) the {tag1} (tag|label)",
        "the {tag1} (tag|label) (on it|it carries) (sums it up|says a lot|tells the story)",
    ),
    "popular": _x(
        "<IT> is (a|quite a) (well-loved|popular|much-played|fan-favourite) (track|song|pick)( out there|)",
        "(plenty of|lots of|many) <LISTENERS> (love|keep coming back to|swear by) it",
    ),
    "gem": _x(
        "<IT> is (a bit of a|something of a|a real) (hidden gem|deep cut|lesser-known find)",
        "(few|not many) (people|listeners) know it, (which makes it|so it's) (a nice discovery|a fresh find)",
    ),
    "album": _x(
        '<IT> (comes|is) (from|off) the album "{album}"',
        '<IT> (sits on|lives on|is part of|belongs to) "{album}"',
        '(you\'ll find it|it turns up) on "{album}"',
    ),
}

# How one or two reason clauses become sentences ({c1}, {c2}; {C1}, {C2} capitalised).
REASON_FRAMES_1 = (
    "{C1}.",
    "{C1}!",
    "(I picked|I chose|I went with|I suggested|I landed on) it (because|since|as) {c1}.",
    "(It fits|It works|It makes sense|This one fits|It earns its spot) (because|since|as) {c1}.",
    "(Why this one?|The reason?|Here's why:|My thinking:|In short:|The logic:) {C1}.",
)
REASON_FRAMES_2 = (
    "{C1}, and {c2}.",
    "{C1}. (Also|On top of that|Plus|Besides that|What's more|And|Beyond that|Bonus), {c2}.",
    "(I picked|I chose|I went with|I landed on) it (because|since) {c1}(, and|; also,|, plus) {c2}.",
    "(It fits|It works|It suits you|It earns its place) (for two reasons|on two counts|twice over): {c1}, and {c2}.",
    "{C1}; (better still|even better|on top of that|not only that|and there's more), {c2}.",
    "(First|For one|To start), {c1}. (Second|And|Then|Next), {c2}.",
    "{C1} - (and|plus|also) {c2}.",
    "{C1}. {C2}.",
)

# Personal touches: only profile facts (never guessed), and only for known users.
PERSONAL = _x(
    "(Hope|I hope) it (brightens|suits|fits|lifts|colours) your (day|evening|week) (in|over in|out in) {country}(!|.)",
    "(Sending|Beaming) (some|a bit of) (good|great|fresh) music (your way|over) to {country}(!|.)",
    "(For|As) a listener in {country}, (you might|you may) (find|hear) (something new|something fresh|a new side) in it(.|!)",
    "(I kept|I've kept) your {language}-language (taste|preference|leaning) in mind (too|as well|here)(.|!)",
    "(With|Keeping) your (love|taste|ear) for {culture} music in mind, (this|it) (felt|seemed) like a (natural|good|fitting) (choice|fit|step)(.|!)",
    "(Given|Knowing) (that |)you (lean toward|favor|prefer) {culture} music, (I think|I'd say) (this sits well with|this belongs in|it belongs in) your (rotation|library|collection)(.|!)",
    "(It|This) (feels|seems) like (a good|the right) (soundtrack|companion|listen) for (someone|a listener) in their {age_words}(.|!)",
    "(Plenty of|Lots of|Many) listeners in their {age_words} (would|might|could) (queue|play|keep) (this|it) on repeat(, I think|, I'd bet|)(.|!)",
    "(Since|As) you (prefer|lean toward|favor) {language} (lyrics|songs|music), I('ve|) kept that in (mind|view)(.|!)",
    "For (someone|a listener) in their {age_words} (over in|in|out in) {country}, (this|it) (should|could|might) (feel|sound) (fresh|right|just right)(.|!)",
    "(I matched|I weighed) your {culture} (taste|leanings|roots) against (what you asked for|your request), and this (came out on top|fit best)(.|!)",
    "Your {culture}-leaning (ear|palate|taste) (should|will|might) (get along with|take to|appreciate) it(.|!)",
    "(Whether you're|If you're) (at home|on the move|out and about) in {country}, (this|it) (should|will) (travel|play) (well|nicely)(.|!)",
    "(As|Being) {a_culture} (fan|devotee|listener), you (might|may|will) (spot|hear|notice) (the|its) (roots|lineage|influences) (here|in it|right away)(.|!)",
    "(In your|At your age, in your) {age_words}, (this|it) (could|might) (become|turn into) (a|one) (staple|go-to|favourite)(.|!)",
    "(From|Given) your {culture} (background|leanings|tastes), (I suspect|I bet|my hunch is) (this|it) (will|should) (connect|resonate|click)(.|!)",
    "(Hopefully|I hope) (this|it) (lands|plays|sounds) (well|great|lovely) wherever you are in {country}(.|!)",
    "(Across|All over|Throughout) {country}, (this kind of (sound|song|track)|music like this) (travels|works) (well|nicely), I (think|reckon)(.|!)",
    "(Tuned|Picked|Chosen) with your {culture} (leanings|taste|ear) in mind(.|!)",
    "(For|To) your {culture}-(minded|loving|leaning) (ears|playlist|library), (this|it) (should|might) (slot in|fit in|belong) (nicely|easily|well)(.|!)",
    "(Your|The) {language}-language (preference|leaning) (stays|is) (honoured|respected|in view) (here|with this one)(.|!)",
)
# Known users with earlier sessions; WELCOME_BACK only on a session's first turn.
WELCOME_BACK = _x("(Welcome back|Good to see you again|Nice to have you back)(, by the way|)(!|.)")
PERSONAL_WARM = _x(
    "(Based on|Going by|Judging from) (what you've|the music you've) (enjoyed|played|liked) (in past sessions|before|previously), (I think|I'd say) (this|it) (suits|fits) you(.|!)",
    "(It|This) (also |)(lines up|fits) with (your listening history|what you've (liked|enjoyed) before)(.|!)",
    "(From|Looking at) (your|our) (earlier|past|previous) (sessions|chats), (this|it) (seems|feels) (like your thing|right up your alley)(.|!)",
)

EXTRAS_1 = _x(
    '(If you want more|For later|If it clicks), "{t2}" <BY> {a2} is (a <GOOD> (follow-up|backup|next step)|(queued|lined) up (next|behind it))(.|!)',
    '(Also|Another option|Another idea|Bonus pick|Runner-up)(:|,) "{t2}" <BY> {a2}(.|!)',
    '(I\'d also|You could also) (keep|put|add) "{t2}" <BY> {a2} (on your list|in the queue|in mind)(.|!)',
    '(Should it miss|If it doesn\'t land|If not), "{t2}" <BY> {a2} is my (backup|runner-up|second choice|plan B)(.|!)',
    '"{t2}" <BY> {a2} (is|would be) (worth a (spin|listen)|a (nice|good) (chaser|companion)) (too|as well|afterwards)(.|!)',
    '(And|Oh, and) (don\'t miss|keep an ear out for|save room for) "{t2}" <BY> {a2}(.|!)',
)
EXTRAS_2 = _x(
    'Two more (in the same vein|along these lines|to keep handy|to try after): "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
    '(If you want more|For later|To keep going), (try|queue) "{t2}" <BY> {a2} (and|or) "{t3}" <BY> {a3}(.|!)',
    '(Also on my list|Also worth a (spin|listen)|Next in line): "{t2}" <BY> {a2}, then "{t3}" <BY> {a3}(.|!)',
    '(Backups|Runners-up|Other options), (if you need them|just in case|for later): "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
    '(Close behind|Right behind it|Hot on its heels) (are|come) "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
)

CLOSERS = _x(
    "(Let me know|Tell me) (what you think|how it (sits|lands|feels|goes)|if it works (for you|)|if you want more like it)(.|!)",
    "(Enjoy|Happy listening|Have fun with it|Enjoy the listen|Turn it up)(!|.)",
    "(Want|Shall I find|Should I look for) (more|something) (like this|in this vein|along these lines)?",
    "(Want|Shall I find|Should I look for) more (from|by) {artist}?",
    "(Say the word|Just say|Tell me) if you('d like| want) (it|things) (calmer|louder|darker|brighter|slower|faster|weirder)(.|!)",
    "(I can|Happy to) (dig deeper|go further|switch it up|keep going) (whenever you're ready|if you like|from here)(.|!)",
    "(Curious|I'm curious) (what|how) you('ll| will) think(.|!)",
    "(Hope|I hope) (it|this one) (hits the spot|clicks|lands|makes your playlist)(!|.)",
    "(Ready|Here) (for|whenever you want) (the next one|another round|more)(.|!)",
    "(Over to you|Your call|Your turn)(:|,) (more of this|a change of pace|something new)?",
    "(Does|Will) (that|this) (work|do it|do the trick) (for you|for now)?",
    "(Shout|Ping me|Holler) if (it's a keeper|you want a (sequel|follow-up|twist))(.|!)",
    "(More|Another one|Round two) (is|are) (one message|a word|a reply) away(.|!)",
    "(Give it a few seconds|Stick with it past the intro|Let it breathe a minute) - (it grows|it opens up|it pays off)(.|!)",
    "(Keep or skip|Hit or miss)? (I'm all ears|Tell me|Your verdict decides the next one)(.|!)",
    "(What|Which) (direction|way) (next|after this)(: more of the same or a detour|, then)?",
)

NO_TRACK = (
    "(Hmm|Sorry), I (couldn't|could not) find a (good|strong|confident) match (this time|for that)(.|!) (Could you|Can you) tell me (a bit |)more about (the mood|the sound|what you're after)?",
    "(I'm|I am) (drawing a blank|coming up short) (here|on that)(.|!) (Give me|Share) (an artist|a mood|a decade) (and|so) I (can|will) (try again|dig deeper)(.|!)",
)
