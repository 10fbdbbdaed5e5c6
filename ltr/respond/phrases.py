"""Phrase banks of the template responder, written in the ``ltr.respond.grammar`` syntax.

``(a|b)`` picks one alternative, ``{name}`` is a fact filled in afterwards, ``<MACRO>`` is one of the
shared alternations below (expanded when this module loads). A pattern is used only when every fact it
names is known for the reply (see ``TemplateResponder``), so no pattern claims what the facts do not
support. Some facts are empty markers that only switch patterns on: ``{changed}`` (the pick's artist is
not the last pick's), ``{still}`` (the listener asked for other artists, the pick is by the same one),
``{steady}`` (no change was asked for), ``{negative}`` (the listener turned the last pick down),
``{not_other}`` (no "other artists" ask). Only catalog names go in double quotes: the entity checks rely on
it. No bank uses the listener's profile (age, gender, country, language, culture).

Facts: title, artist, artist_pos (the artist with 's), album, prev_title, prev_artist, t2, a2, t3, a3;
the listener's words and the tags that answer them: mw / mt (this message; mt_same when the words are the
tags), bw / bt (an earlier message), want (what they asked for); tag1, tag2 (other sayable tags); year,
decade, a_decade; same_title (an earlier pick by the same artist); ask (their request, second person);
ref_name, ref_tags (a track or artist they named and the tags the pick shares with it); cw, ct (a mood asked
for that the last pick lacked), dw (a quality turned down that the pick drops), era_from; problem (what
they turned down); q_subject, q_tags, q_year, q_album, q_shared, q_word, q_tag (the answer to their
question); un_tempo, un_key, un_lyrics, un_charts (the listener's words for what the catalog cannot know); liked_title, liked_tag (an earlier praised pick), keep_tag
(a tag of the praised last pick the new one keeps); hist (the artist is in the user's other sessions),
relisten.
"""

from __future__ import annotations

_MACROS = {
    # How a title is tied to its artist.
    "<BY>": "(by|from|by|performed by|recorded by|courtesy of|credited to|the work of|as played by|released by|attributed to|listed under|put out by)",
    # The track as a subject (third person singular).
    "<IT>": '(it|this one|the track|the song|"{title}"|this pick|this tune)',
    "<ASKED>": "(you asked for|you requested|you were after|you wanted|you called for|you hoped for|you had in mind)",
    "<SAID>": "(you mentioned|you brought up|you named|you talked about|you flagged|you raised)",
    "<FIT>": "(fits|matches|suits|answers|meets|lines up with|speaks to)",
    "<GOOD>": "(good|great|strong|solid|natural|lovely|fitting)",
    "<LISTENERS>": "(listeners|fans|people|music lovers|taggers|crowds online)",
    "<TAGGED>": "(tagged|labelled|filed under|described as|catalogued as|listed as|marked|classed as|tagged as|categorised as)",
    "<EARLIER>": "(earlier|before|a few messages back|at the start|further back|in an earlier message|a while ago|at the outset|previously)",
    "<LIKED>": "(liked|enjoyed|praised|were happy with|warmed to|took to)",
    "<KEEPS>": "(keeps|carries|holds on to|stays true to|honours|preserves|retains|sticks with|maintains)",
    "<SIDE>": "(side|streak|feel|quality|character|edge|vein|element|strain)",
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

# Cheering: only when the listener plainly praised the last pick.
OPEN_LIKED = _x(
    '(Glad|Happy|So glad|Great to hear|Nice to hear) "{prev_title}" (worked|clicked|landed|hit the spot|did the trick|won you over) for you(!|.)',
    "(Nice|Great|Sweet|Lovely), {prev_artist} (went down well|was a hit|struck a chord|got it right|delivered)(!|.)",
    '(Love that|Great that|Glad|Happy) you\'re (enjoying|into|vibing with|digging|warming to) "{prev_title}"(!|.)',
    "(Music to my ears|Good to hear|That's great to hear|Love to hear it|That makes me happy)(.|!)",
    "(So happy|Thrilled|Delighted|Pleased) (the last one|that pick|the last song|my last pick) (worked|clicked|landed|connected) (for|with) you(.|!)",
    '(Yes|Yay|Nice|Oh good)! "{prev_title}" (is a good one|was a (great|fun|good) (find|pick)|really (delivers|fits))(.|!)',
    "(Happy|Glad|Pleased) {prev_artist} (did it|did the job|clicked|worked out) for you(!|.)",
    '(So|Okay, so) "{prev_title}" (was a keeper|earned its spot|passed the test)(!|.)',
    "(Nice|Great|Glad) (you're|you are) (on board with|sold on|happy with) {prev_artist}(.|!)",
    # Keep-going variants only when no change was asked for.
    "(Awesome|Brilliant|Excellent|Wonderful|Perfect|Fantastic)(!|.) (Let's|We'll) (keep|stay on|build on|ride) (that|this) (thread|path|streak|momentum|wave)(.|!){steady}",
    "(Great|Good) (feedback|to know)(, thanks|)(.|!) (Let's|We'll) (keep (going|rolling)|stay in (this|that) (lane|zone|groove))(.|!){steady}",
    "(Since|As) \"{prev_title}\" (hit home|worked so well|landed|clicked), (let's|I'll) (keep the thread going|follow that lead|stay close to it)(.|!){steady}",
    "(Yes|Excellent|Great)! (That|This) (thread|direction|lane) (is working|is paying off|is on point|seems to work)(.|!){steady}",
    # ... and for a change asked right after praise ("Yes! But now something calmer").
    '(Glad|Happy|Great to hear) "{prev_title}" (landed|clicked|worked)(!|.) (Now|Next|On) to (the|your) (new|next) (ask|request|direction)(.|!){turn}',
    "(Nice|Great|Lovely), {prev_artist} (struck a chord|went down well)(!|.) (Now for|On to) (the|your) (change|next (idea|request))(.|!){turn}",
)

# Neither cheering nor apologising: the message did not clearly judge the last pick.
OPEN_NEUTRAL = _x(
    "(After|Following|Coming off) \"{prev_title}\" <BY> {prev_artist}, (here's|this is) (the next step|where I'd go next|my next idea)(.|!){changed}",
    "(Sure thing|Of course|On it|Got it|You got it)(.|!)",
    '(Building|Following|Picking up) (on|from) "{prev_title}"(,|) (I\'ve|I have) (another|one more|a new) (idea|pick|suggestion)(.|!)',
    "(Okay|Alright|Right), (next up|one more|here's another|another idea)(.|!)",
    "(Let's|We can) keep (exploring|digging|searching)(.|!)",
    "(Noted|Understood|Heard|Gotcha)(.|!)",
    "(With {prev_artist} (behind us|in the mix|still in the air)|After {prev_artist}), (here's|this is) (what comes next|the next step)(.|!){changed}",
    "(Here we go|Here goes|Let's see|Ready)(.|!)",
    '(Keeping|With) "{prev_title}" (in mind|as a reference|as our anchor)(,|) (here\'s|I have) (a follow-up|the next one)(.|!)',
    "(Moving|Pressing|Rolling) (on|ahead|forward)(.|!)",
    "(Noted, and|Okay, and|Right, and) (here's|this is) (the|my) (next|follow-up) (idea|move)(.|!)",
    "(Thanks for the pointer|Thanks for steering|Useful to know)(.|!)",
    '"{prev_title}" (noted|heard|logged)(;|,) (here\'s|now for) (the next one|another|a follow-up)(.|!)',
)

# A verdict with praise and a complaint: what was liked is acknowledged, the complaint taken, without cheering and
# without an apology (a reader may take praise followed by a new request for a mixed verdict).
OPEN_MIXED = _x(
    '(Fair point|Point taken|Understood|Noted): "{prev_title}" had (something|a bit) for you, but not (all of it|the whole picture|what you were after)(.|!)',
    '(So|Okay, so) "{prev_title}" (came close|was halfway there|had its moments) without being (it|the one)(.|!)',
    "(I hear you|Heard|Got it): {prev_artist} (had its moments|was partly there), (but|yet) not fully (your thing|what you wanted)(.|!)",
    '(Half a yes|A partial yes|A maybe) for "{prev_title}", (then|I take it)(.|!)',
    '(Thanks for the detail|Useful detail|That helps): you (see|found) (something|a little) in "{prev_title}", (but|just) not enough(.|!)',
    '(Fair point|Point taken|Understood|Heard) on "{prev_title}": (less|no more) {problem} (this time|for the next one|from here)(.|!)',
    '(I hear you|Got it|Noted): "{prev_title}" (has|had) (its charms|something), (but|yet) the {problem} (side|part) (was|is) not (for you|what you wanted)(.|!)',
    "(Understood|Fair enough|Noted), {prev_artist} (came close|had a case), (but|yet) (you want|you'd like) (less|no) {problem}(.|!)",
)

OPEN_REJECTED = _x(
    '(Fair enough|Got it|Understood|No problem|Noted)(,|.) "{prev_title}" (wasn\'t|was not) (quite|really) (it|the one|your thing|right)(.|!)',
    "(Sorry|My bad|Apologies) (that |){prev_artist} (missed|didn't land|fell flat|was off the mark|wasn't a match)(.|!)",
    "(Thanks for the honesty|Thanks for telling me|Good to know|Thanks for the feedback|Appreciate the honesty)(.|!) (Let me|I'll) (try again|take another swing|take another shot)(.|!)",
    '(Point taken|Heard you|Totally fair|Fair point) on "{prev_title}"(.|!)',
    '(No worries|No harm done), (let\'s|we\'ll) (move past "{prev_title}"|set "{prev_title}" aside)(.|!)',
    "(Hmm|Ah|Oh), (not quite|no luck) (there|this time)(.|!) (Let me|I'll) (try again|take another swing|take another shot)(.|!)",
    "(Understood|Noted|Fair), {prev_artist} (isn't|wasn't) (the vibe|what you wanted|quite right)(.|!)",
    '(Scratch|Forget|Skip) "{prev_title}"(, then|)(.|!)',
    "(Back to|Returning to) the drawing board(, then|)(.|!)",
    "(Right|Okay), \"{prev_title}\" (missed|wasn't a hit|didn't do it)(.|!) (Another|A new) (attempt|try) (coming up|below|then)(.|!)",
    '(Sorry|Apologies), "{prev_title}" (had too much of the {problem} side|leaned too far into {problem})(.|!)',
    "(Got it|Understood|Fair enough): (less|no more) {problem} (from here|this time|going forward)(.|!)",
    # A promised change only when the pick really is by someone else.
    "(Okay|Alright|Right), (let's|time to) (change|switch) (course|direction|gears|tack)(.|!){changed}",
    "(Let's|Okay, let's) (pivot|course-correct|try a new angle|shake things up)(.|!){changed}",
    '(No worries|No harm done), (let\'s|we\'ll) leave "{prev_title}" (behind|there)(.|!){changed}',
)

# The listener says they have asked before: acknowledged, with an apology only after a turned-down pick.
FRUSTRATED_SORRY = _x(
    "(Sorry|I'm sorry|Apologies) (this is taking|it's taking) (so long|a while|more tries than it should)(.|!)",
    "(Sorry|Apologies) for (the misses|going round in circles|not getting there sooner)(.|!)",
    "(I hear you, and I'm sorry|Sorry, I hear you)(:|,) (you've|you have) (said this|asked for this) (before|more than once)(.|!)",
)
FRUSTRATED_HEARD = _x(
    "(I hear you|Understood|Heard, loud and clear)(:|,) (you've|you have) (asked for this|said this) (before|more than once)(.|!)",
    "(Right|Okay|Got it), (I'll|let me) (stick to|focus on|keep to) (exactly |)what you asked for(.|!)",
    "(Loud and clear|Message received|Understood)(.|!) (Here's|This is) (a|one) (focused|straight) (answer|pick)(.|!)",
)

# Answers to a question about the music, from the catalog: sentence openers and bodies.
ANSWER = _x(
    "(To your question|As for your question|On your question|To answer you|On what you asked)(:|,) {q_subject} is <TAGGED> {q_tags}(.|!)",
    "(What stands out in|What defines|The character of) {q_subject}, (going by|judging by|according to) (the catalog|its tags): {q_tags}(.|!)",
    "{q_subject} (comes down to|is mostly|reads as) {q_tags}, (going by|by|judging by) (its|the catalog's) tags(.|!)",
    "(By the catalog's account|By its tags|On paper), {q_subject} (is|leans) {q_tags}(.|!)",
    "(Here's|This is) what the catalog says about {q_subject}: {q_tags}(.|!)",
    "(The short answer|In short|Put simply): {q_subject} (is|leans) {q_tags}(, going by its tags|, by its catalog tags|)(.|!)",
    "(Going by|Judging from|If the) (its listing|the metadata|catalog tags are a guide), {q_subject} (sits|lives|belongs) (among|in) {q_tags}(.|!)",
    "{q_subject} (carries|wears|is filed with) the (tags|labels) {q_tags}(, which is (the best|a fair) (summary|answer) I can give|)(.|!)",
    "(You asked|Your question was) about {q_subject}: (the|its) (tags|catalog entry|listing) (read|reads|say|says) {q_tags}(.|!)",
    "(If I|To) (sum up|describe|characterise) {q_subject} (from|with) (the metadata|its tags|the catalog), (I'd say|it comes out as) {q_tags}(.|!)",
)
ANSWER_YEAR = _x(
    "(It|{q_subject}) (came out in|was released in|dates from) {q_year}(, if that helps place it|, for context|)(.|!)",
    "(Its|The) release year (is|was) {q_year}(, going by the catalog|, per the metadata|)(.|!)",
    "(It's|{q_subject} is) a {q_year} (release|recording)(, for context|)(.|!)",
)
ANSWER_ALBUM = _x(
    '(It|{q_subject}) (comes|is) (off|from) "{q_album}"(, for context|)(.|!)',
)
ANSWER_QUALITY = _x(
    "The {q_word} (quality|side|feel) (you noticed|you hear) (shows up|is there) in (its|the) {q_tag} tag(.|!)",
    "(That|The) {q_word} (feel|quality) (is|gets) (tagged|labelled) {q_tag}(, by the way| in the catalog|)(.|!)",
)
ANSWER_SHARED = _x(
    "(What|The thread) the tracks (so far|you've heard here) (share|have in common)(:| is) {q_shared}(.|!)",
    "(Across|Over) (the picks|the tracks) so far, the common (thread|ground) is {q_shared}(.|!)",
    "(The tracks|Everything) (you've heard|we've played) (so far|here) (shares|has) {q_shared} in common(.|!)",
    "(Looking back over|Taking stock of) (the picks|the tracks|this conversation's tracks) so far, {q_shared} (keeps coming up|is the shared thread|runs through them)(.|!)",
    "{q_shared}: (that's|this is) what the (tracks|picks) (so far|played here) (have in common|share)(, by their tags|, going by the tags|)(.|!)",
)
ANSWER_LIMIT = _x(
    "(I'm|I am) going by (catalog tags|the catalog), not by (listening|ear)(, so take it as a (guide|pointer)|)(.|!)",
    "(That's|This is) what (the tags|the metadata) (say|tell me); I can't (hear|listen to) the (audio|track) myself(.|!)",
    "(All of this|This answer|That) (comes|is drawn) from (tags|metadata) (listeners added|in the catalog), not from (hearing|playing) the (audio|recording)(.|!)",
)

# Asks the catalog cannot serve: said plainly, then what it can offer.
UNSERVABLE = {
    "tempo": _x(
        "(Honest note|To be upfront|One honest caveat|Plainly): (the catalog|my catalog|the data I pick from) has no tempo (information|data), so I can't (promise|match|guarantee) {un_tempo}(.|!)",
        "I (can't|cannot) see (tempo|BPM) in (the catalog|my data), so {un_tempo} is (beyond|outside) what I can (check|match|promise)(.|!)",
        "(Tempo|BPM) isn't (in|part of) the (catalog|metadata) I (have|work with), so I can't (hit|match) {un_tempo} (exactly|precisely|for sure)(.|!)",
        "(A fair warning|Worth saying|Just so you know): (tempo figures|BPM values|tempo readings) (aren't|are not) (something I can see|in my data|listed in the catalog), so {un_tempo} (can't|cannot) be (checked|measured|confirmed) (here|on my side|by me)(.|!)",
        "(On|About|Regarding) {un_tempo}: (the catalog|my data) (holds|carries|lists) (tags, years and albums|names, tags and years), (but|yet) no tempo (data|information)(, so I can't (count|confirm) it|)(.|!)",
        "(I can't|I cannot) (measure|read|confirm) {un_tempo} - (there's|there is) no (tempo|BPM) (field|column|figure) in (my data|the catalog)(.|!)",
    ),
    "key": _x(
        "(Honest note|To be upfront|One honest caveat): (the catalog|my catalog) (doesn't|does not) (list|record|know) musical keys, so I can't (promise|match|check) {un_key}(.|!)",
        "I (can't|cannot) see (the key|keys) of (songs|tracks) in (the catalog|my data), so {un_key} is (something|one thing) I can't (check|promise)(.|!)",
    ),
    "lyrics": _x(
        "(Honest note|To be upfront|One caveat|A caveat|Full disclosure): I (can't|cannot) (read|see) lyrics in (the catalog|my data), so I can't (vouch for|check|promise) {un_lyrics}(; I went by (tags and titles|the tags) instead|)(.|!)",
        "(Lyrics|The words of songs) (aren't|are not) (in|part of) (the catalog|my data), so (for|on) {un_lyrics} I'm going by (tags|the catalog tags|genre tags) (instead|alone|only)(.|!)",
        "I (can't|cannot) check {un_lyrics} (directly|myself|from here)(: (the catalog|my data) has no lyrics|, since lyrics aren't in my data)(.|!)",
        "(No|There are no) lyrics in (my|the) (data|catalog), so I (can't|cannot) (check|verify|confirm) {un_lyrics}(.|!)",
        "(As for|On|About) {un_lyrics}: I (can't|cannot) (see|read) (lyrics|the words), (only|just) (tags|genre tags|the catalog tags)(.|!)",
        "I (can't|cannot) (vouch for|verify) {un_lyrics} - (lyrics|song texts) (aren't|are not) in (my data|the catalog)(.|!)",
        "(What a song is about|What the words say|The subject of a song) (isn't|is not) (something|a thing) (the catalog|my data) (records|holds|covers): (it has|there are) no lyrics, so {un_lyrics} (stays|remains) (unchecked|unverified|a guess on my side)(.|!)",
        "(My data|The catalog|My catalog) (stops at|only goes as far as|is limited to) (titles, artists and tags|names, years and tags|tags, years and albums), (with|and has) no lyrics, so (I can't|I cannot) (be sure about|confirm|stand behind) {un_lyrics}(.|!)",
        "(A fair warning|Worth saying|Before you press play|Just so you know): (lyrics|song texts|the words of songs) (aren't|are not) (something I can read|in what I can see|available to me), (which means|so) {un_lyrics} (can't|cannot) be (checked|verified|confirmed) (on my side|by me|here)(.|!)",
        "(Since|Because|As) (I can't|I cannot) (open|read|look at) (song texts|the lyrics|the words of songs), I (matched|approached|searched for) {un_lyrics} (through|by way of|via) (tags|genre and mood tags|the catalog tags) (alone|only|rather than words)(.|!)",
        "(For|On the subject of|Regarding) {un_lyrics}, (I have to be (plain|straight|clear)|a plain word|an honest word): (the catalog|my data) (carries|holds|keeps) no lyrics, (only|just) (labels|tags) (and years|and albums|)(.|!)",
        "(Whether a track is|What counts as) {un_lyrics} (depends on|comes down to) (its|the) (words|lyrics), and (those|lyrics) (aren't|are not) (in|part of) (my data|the catalog)(; the tags were my guide|; I leaned on tags|)(.|!)",
    ),
    "charts": _x(
        "(Honest note|To be upfront|One caveat): I (don't|do not) have chart (positions|history) or mention counts, only a popularity score, so I can't (rank|say) what's (most mentioned|charted|a hit)(.|!)",
        "(Chart|Billboard) (data|history) (isn't|is not) in (the catalog|my data); (the|a) popularity score is all I (have|can see)(.|!)",
    ),
}

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
    # The album or the year tells which recording is meant: identification, never a reason.
    '(Try|Put on|Queue up|Here\'s|Go for) "{title}" <BY> {artist}, (off|from) (the album |)"{album}"(.|!)',
    '(Try|Put on|Queue up|Here\'s|Go for) "{title}" <BY> {artist}, a {year} (release|recording|track)(.|!)',
    '(My pick is|Next up:|Up next:) {artist_pos} "{title}" (from|off) "{album}"(.|!)',
    '(Queue|Play|Hear) "{title}" <BY> {artist} (next|now)(.|!)',
    '(Give|Lend) "{title}" <BY> {artist} (an ear|a chance|a fair hearing)(.|!)',
    '(I\'m|I am) (handing you|passing you|sending you) "{title}" <BY> {artist}(.|!)',
    '(Your|The) next (track|song|listen)(:| is) "{title}" <BY> {artist}(.|!)',
)

# Reason-first picks: what the listener wanted, then the track.
LEAD = _x(
    "(You asked for|You wanted|You're after|You're in the mood for|You mentioned) {want}, so (here's|I picked|let's try|I'd go with) \"{title}\" <BY> {artist}.",
    "(For|To match) {want}, (try|I'd suggest|I'd pick|consider) \"{title}\" <BY> {artist}(.|!)",
    '(With|Keeping) {want} in mind, (I landed on|I chose|I found|here\'s) "{title}" <BY> {artist}(.|!)',
    '(Since|Because|As) you (asked for|wanted|mentioned) {want}, "{title}" <BY> {artist} (is|seems like) (my|the) (pick|answer|choice)(.|!)',
    '(When it comes to|Speaking of) {want}, "{title}" <BY> {artist} (is hard to beat|fits nicely|stands out)(.|!)',
    '(If|Since) {want} is (the goal|what you\'re craving|on the menu), "{title}" <BY> {artist} (should|will|ought to) (deliver|do it|fit)(.|!)',
    '{want}? (Then|In that case|Right:) "{title}" <BY> {artist} (is the one|is my answer|gets my vote)(.|!)',
    '(My answer to|My pick for|What I have for) {want}: "{title}" <BY> {artist}(.|!)',
    '(On|About) {want}: (start with|go for|try) "{title}" <BY> {artist}(.|!)',
    '{want} - that (calls for|points to|suggests) "{title}" <BY> {artist}(.|!)',
    '(For|Toward) {want}, (my|the) (best|top|first) (bet|candidate|match) is "{title}" <BY> {artist}(.|!)',
)

# The listener asked for other artists and the pick is by someone else: the change leads.
CHANGE_LEAD = _x(
    '(A new name, as you asked|Someone new, as promised|A different artist this time|Fresh artist, as requested): "{title}" <BY> {artist}(.|!)',
    '(Moving on from|Stepping away from|Leaving) {prev_artist}, (try|here is|I\'d go with) "{title}" <BY> {artist}(.|!)',
    '(For a change of artist|To branch out|For someone other than {prev_artist}), (try|here\'s|consider) "{title}" <BY> {artist}(.|!)',
    '{artist} (takes over|steps in|gets the next turn) (from|after) {prev_artist}: "{title}"(.|!)',
)
# The listener asked for other artists but the best match is by the same one: said plainly.
STILL_LEAD = _x(
    '(I know you want|You asked for) other artists, (but|yet) the (closest|best) match (I have |)is still {artist}: "{title}"(.|!)',
    '(Honestly|To be straight with you), the (strongest|best) fit is (another|one more) {artist} (track|song), "{title}"; the (others|extras) below are by (other|different) people(.|!)',
    '(I hear you on|Noted:) other artists(, but|; still,) {artist_pos} "{title}" (fits best|is the closest match) (this time|for now), (and|with) (others|other names) (further down|below)(.|!)',
    '(The best match is still|My closest match remains) {artist}, "{title}" - (the|my) (extras|other picks) (below|after it) are by (others|other people)(.|!)',
)

# Reason clauses: lowercase, no final punctuation; each names only what its facts establish.
REASONS: dict[str, tuple[str, ...]] = {
    "match": _x(
        "you asked for {mw}, and <IT> is <TAGGED> {mt}",
        "the {mw} (ask|request|wish) (is|gets) (answered|met|covered) (by|through) its {mt} <SIDE>",
        "<LISTENERS> (tag it|describe it as|file it under) {mt}, (close to|in line with|a good match for) the {mw} you (wanted|described|asked for)",
        "(you said|you typed|your word was|you went with) {mw}; (the catalog says|its tags say|the metadata says) {mt}",
        "<IT> (carries|has|wears) the {mt} (tag|label), (which is|and that's) the {mw} (ask|request|mood) in catalog terms",
        "(for|on) {mw}, <IT> (delivers|answers|comes through) with {mt} (in its tags|on its label|by the catalog)",
        "{mt} (is|sits) (in|on) its (tags|label|profile), (the catalog's|a) (word|take|spelling) for the {mw} (you wanted|you described|in your message)",
        "(what you called|the) {mw} (shows up|appears|is there) as {mt} in (its|the) (tags|metadata|listing)",
        "(where you wrote|when you said|by) {mw}, (the catalog|its listing|the metadata) (would say|has|reads) {mt}",
        "{mw} (in your words|as you put it), {mt} (in the catalog's|by the tags'|in the metadata's) (terms|words|vocabulary)",
    ),
    "match_same": _x(
        "<IT> is <TAGGED> {mt}, (your|the) (exact|very|own) (words|word|ask|term)",
        "(you said|you asked for|you named|you typed) {mt}, and that's (exactly|precisely|word for word) how (<LISTENERS> tag it|it's tagged|it's filed|the catalog lists it)",
        "{mt} is (right there in|written into|stamped on|the first thing in|plain to see in) its (tags|description|profile|listing)",
        "its tags (say|read|include|spell out|list) {mt}, (matching|echoing|mirroring|answering) your (request|message|words|ask)",
        "(by its tags|by the catalog's account|on paper|by the metadata) <IT> is {mt}, (just|exactly|precisely) (what you asked for|your ask|the brief)",
        "the {mt} (label|tag) (is|sits) on it, (a direct|a clean|a straight|a literal) (answer|match|hit) (to|for) (your message|your ask|what you typed)",
        "(you wanted|you were after|you named) {mt}(, and| -) (the catalog agrees|its tags agree|that's its tag|it's listed that way)",
        "{mt}? (Check|Yes|Tick): (that's|it's) (on its label|in its tags|how it's catalogued)",
        "(the catalog|the metadata|its listing) (files|puts|lists) <IT> under {mt}, (the|that) (word|term|ask) (you used|of yours|you chose)",
        "{mt} (was|is) (the ask|what you typed|the brief), and {mt} (is|appears) (among|in) its (tags|labels)",
        "it's {mt} (by its tags|on paper|per the catalog|by the metadata), as (asked|requested)",
        "the {mt} (tag|label) (is there|is on it|checks out), as (asked|requested)",
    ),
    "before": _x(
        "<EARLIER> (you asked for|you wanted|you mentioned|you named) {bw}, and <IT> <KEEPS> that with its {bt} tag",
        "<IT> <KEEPS> the {bw} (thread|wish|ask|idea) (from earlier|you started with|from before|from your first messages): it's <TAGGED> {bt}",
        "the {bw} (request|wish|idea) from (earlier|before|the start) (still|very much|clearly) (holds|shapes this pick|counts): <IT> is <TAGGED> {bt}",
        "(not forgetting|remembering|still honouring) the {bw} (ask|wish) from (earlier|before|your first messages), <IT> (carries|wears|has) {bt}",
        "{bt} (is|sits) in its tags, (which answers|matching|in line with) the {bw} you (asked for|named|wanted) <EARLIER>",
        "(you haven't dropped|you started out with|you opened with) {bw}, (so|and) <IT> (brings|keeps|offers) {bt}",
        "(going back to|circling back to|picking up) the {bw} (thread|request|idea), <IT> (is|comes) <TAGGED> {bt}",
        "<IT> (answers|covers|serves) {bw}, (an ask|a wish|a request) (from|of) (your first messages|the start|earlier on), with its {bt} tag",
        "the (standing|original|first) {bw} (ask|request|brief) (still|also) (applies|counts): {bt} (is|sits) (on|in) its (tags|label)",
        "{bw} (was|stood as) (the|an) (earlier|opening|first) (ask|request), (and|so) (its|the) {bt} tag (still matters|keeps it in view|matters here)",
        "(an|the) (earlier|older|first) {bw} (ask|wish|request) (is|stays) (met|covered|answered) (by|with) {bt} (in its tags|on its label)",
    ),
    "era_asked": _x(
        "<IT> is {a_decade} (release|track|song|recording) from {year}, (right|squarely|firmly) in the era (you asked for|you mentioned|you wanted)",
        "(you wanted|you asked for|you mentioned) the {decade}, and <IT> (came out|was released|dropped|appeared) in {year}",
        "<IT> is (straight|right) out of the {decade} you asked for(, {year} to be exact|, a {year} (release|recording)|)",
        "{year} is (its|the) release year, (bang|right|squarely) in the {decade} (you wanted|you asked for|you named)",
        "the {decade} (request|brief|wish) is (covered|met|honoured): (it|this) (came out|hit shelves|was released) in {year}",
        "(a|one) {year} (release|recording|track), (so|which makes it) (firmly|squarely|properly) {decade} (as asked|like you wanted|as you wished)",
    ),
    "era_change": _x(
        "(it moves|this moves|we move) from the {era_from} of \"{prev_title}\" to the {decade} you asked for, (with|via) a {year} (release|recording)",
        "(unlike|where) \"{prev_title}\" (was|sat in the) {era_from}, <IT> is a {year} (release|recording), (as|like) you asked",
        "(from|after) the {era_from} of the last pick, (it|this one) (lands|sits) in {year}, (the|your) {decade} as asked",
    ),
    "era_shift": _x(
        "(it's|this one is) {shift_dir} than \"{prev_title}\", as you asked: {year} (against|versus|after) {prev_year}",
        "(you wanted|you asked for) something {shift_dir}, and (it|this one) (came out|was released) in {year}, (where|while) \"{prev_title}\" (dates from|was from) {prev_year}",
    ),
    "change_artist": _x(
        "it's by {artist} (rather than|instead of|not) {prev_artist}, (as|like) you asked",
        "(you wanted|you asked for) (other|different|new) artists, and {artist} (is one|fits that|is a fresh one)",
        "(it|this) (brings|adds) a (new|fresh|different) (voice|name|artist) after {prev_artist}",
        "{artist} (is|makes) a (change|switch) from {prev_artist}, (as|like) you (asked|wanted)",
    ),
    "mood_change": _x(
        "it's more {cw} than \"{prev_title}\" by the tags: <LISTENERS> tag it {ct}",
        "(you asked for|you wanted) something {cw}, and this one is <TAGGED> {ct}, a tag \"{prev_title}\" (didn't carry|lacked)",
        "(it|this one) (moves|shifts|leans) (toward|to) the {cw} <SIDE> you asked for, with {a_ct} tag (that|which) \"{prev_title}\" (lacked|didn't have)",
        "(more|much more) {cw} (this time|than before) by the tags: (its|the) {ct} tag (says so|shows it), (and|where) \"{prev_title}\" (had none|lacked it)",
        "(you asked for|you wanted) {cw}, and (its|the) {ct} tag (answers that|covers it|says so), (where|while) \"{prev_title}\" (had no such tag|lacked one)",
        "{ct} (is|sits) (on|in) its (tags|label), (a|the) {cw} (turn|shift) (from|after|compared with) \"{prev_title}\"",
    ),
    "dropped": _x(
        "(it leaves out|it drops|it steers clear of|it sheds) the {dw} <SIDE> of \"{prev_title}\"",
        "(unlike|compared with) \"{prev_title}\", (it|this one) (isn't|is not) (tagged|labelled|listed as) {dw}",
        "(it|this one) (skips|avoids|loses) the {dw} <SIDE> you (turned down|didn't want|pushed back on)",
        "there is no {dw} (tag|label) on (it|this one), (the part|the thing) you (didn't want|objected to) in \"{prev_title}\"",
    ),
    "reference": _x(
        "(like|just like) {ref_name}, (which|whom) you (mentioned|brought up), <IT> is <TAGGED> {ref_tags}",
        "<IT> shares {ref_tags} with {ref_name}, (the|your) (reference|example|pointer)",
        "(you pointed to|you mentioned|you brought up) {ref_name}; <IT> (shares its|has the same) {ref_tags} (tags|side|streak)",
        "(in the vein of|close to|not far from) {ref_name}: (both|the two) (carry|share) {ref_tags}",
        "{ref_name} (was|is) your (pointer|example), and <IT> (shares|matches) (its|their) {ref_tags} (tags|side)",
    ),
    "same_artist": _x(
        '<IT> stays with {artist}, (whom|who) you (already |)heard (earlier|before) with "{same_title}"',
        '<IT> is (more|another one|another track) from {artist}, (following|after) "{same_title}" (earlier|before|from before)',
        '(it keeps|we keep) {artist} (in the rotation|in play|on the turntable) (after|following) "{same_title}"',
        'you (already |)(met|heard) {artist} (through|with|via) "{same_title}", and this (goes deeper|digs further|shows another side)',
        '(like|just like) "{same_title}" (earlier|before), it\'s {artist} (at work|behind it|at the helm)',
        '<IT> (brings back|returns to|circles back to) {artist}, (the|that same) (act|artist|name) behind "{same_title}"',
        '<IT> (shares|has) (an|the same) artist with "{same_title}", (namely|that is|so) {artist}',
        '{artist} (returns|is back|reappears) (here|now|this turn), (picking up|following on|continuing) from "{same_title}"',
    ),
    "asked_artist": _x(
        "(you asked for|you wanted|you requested) {artist} (by name|directly|specifically)",
        "it's {artist}, (as|just as|exactly as) (you requested|you asked|you wanted)",
        "<SAID> {artist}, so (I went straight there|that's where I looked|I followed that lead)",
        "{artist} (was|is) (your|the) (named|explicit|direct) (request|ask), (so|and) (here|this) (it is|they are)",
    ),
    "asked_track": _x(
        "(it's|this is) the (very |)(track|song|one) you named",
        "you (named|asked for) (it|this one) (yourself|directly|by title)",
    ),
    "liked_now": _x(
        "it <KEEPS> the {keep_tag} <SIDE> you <LIKED> in \"{prev_title}\"",
        "(since|as) you <LIKED> \"{prev_title}\", (it|this one) (holds on to|keeps|shares) (its|the same) {keep_tag} (tag|side)",
        "(the|that) {keep_tag} <SIDE> of \"{prev_title}\" (carries over|is still here|continues|survives) (here|in this one)",
        "(what|the part) you <LIKED> in \"{prev_title}\" (was|included) (its|the) {keep_tag} <SIDE>, and (this one|it) (has it too|shares it)",
    ),
    "liked_before": _x(
        "you <LIKED> \"{liked_title}\" <EARLIER>, and <IT> (shares|has) its {liked_tag} <SIDE>",
        "(like|just like) \"{liked_title}\", (which|that) you <LIKED> <EARLIER>, it's <TAGGED> {liked_tag}",
        "(it|this one) (echoes|picks up|revisits) the {liked_tag} <SIDE> of \"{liked_title}\", (which|that) you <LIKED> <EARLIER>",
        "\"{liked_title}\" (went down well|landed|clicked) <EARLIER>, and (this one|it) (shares|brings back) its {liked_tag} <SIDE>",
    ),
    "liked_same": _x(
        "you <LIKED> \"{liked_title}\" <EARLIER>, (also|and that was) by {artist}",
        "(since|as) \"{liked_title}\" by {artist} (went down well|landed|clicked) with you <EARLIER>, here's more of {artist}",
    ),
    "praised_artist": _x(
        "you spoke (warmly|well|highly) of {artist} (earlier|in this chat|before)",
        "{artist} (is|was) (an artist|a name) you (praised|said you love|spoke warmly of) (earlier|here)",
    ),
    "history": _x(
        "{artist} (already |)(shows up|turns up|appears) in your (earlier|other|past) sessions",
        "you've (played|listened to) {artist} (in|during) (earlier|past|other) sessions",
        "{artist} is (already |)part of your listening (from|in) (earlier|past) sessions",
        "your (earlier|past|other) sessions (include|feature) {artist}(, so (it's|this is) (familiar ground|a safe bet)|)",
    ),
    "relisten": _x(
        "(it's|this is) a track from your own (earlier|past) sessions",
        "you've (played|had) (it|this one) in (an earlier|a past) session(, so it's a known (quantity|favourite)|)",
    ),
    "ask": _x(
        "(the|your) (request|ask|wish|call) for {ask} (shaped|drove|guided|steered) (this|the) (pick|choice|search)",
        "(I went looking for|I searched for|I aimed for) {ask}(, as you put it| in your words|)",
        "(it's|this is) (my|the) (best|closest) (answer|shot|attempt) (at|for) {ask}",
        "(with|keeping) {ask} in mind, (this|it) (came out on top|ranked first|led the list)",
    ),
    "describe": _x(
        "<LISTENERS> (file it under|tag it as|describe it as) {tag1} and {tag2}",
        "<IT> (carries|wears|has) (the|both) {tag1} and {tag2} (tags|labels)",
        "<IT> is tagged {tag1}(, with a (touch|hint|dash) of| and) {tag2}",
        "<IT> (reads|sounds), by its tags, like {tag1} (crossed with|shading into|with a streak of) {tag2}",
        "(its|the) (tags|labels) (point to|suggest|say) {tag1} (first|above all), (then|and also|with a bit of) {tag2}",
        "<IT> (pairs|mixes|blends) {tag1} (with|and) {tag2}, (going by|judging by|according to) its tags",
        "the {tag1} and {tag2} (tags|labels) (on it|it carries) (sum it up|say a lot|tell the story)",
    ),
    "describe1": _x(
        "<LISTENERS> (file it under|tag it as|describe it as) {tag1}",
        "<IT> (carries|wears|has) the {tag1} (tag|label)",
        "the {tag1} (tag|label) (on it|it carries) (sums it up|says a lot|tells the story)",
    ),
}

# A description of the pick that answers no ask is said as a description, never as a reason ("It fits because").
DESCRIBE_FRAMES = (
    "{C1}.",
    "{C1}!",
    "(For the record|For context|As for the sound|A word on the sound|Sound-wise), {c1}.",
)

# How one or two reason clauses become sentences ({c1}, {c2}; {C1}, {C2} capitalised).
REASON_FRAMES_1 = (
    "{C1}.",
    "{C1}!",
    "(Put simply|In a nutshell|The short version|Simply put), {c1}.",
    "(That's because|Mainly because|Chiefly because) {c1}.",
    "(I picked|I chose|I went with|I suggested|I landed on) it (because|since|as) {c1}.",
    "(It fits|It works|It makes sense|This one fits|It earns its spot) (because|since|as) {c1}.",
    "(Why this one?|The reason?|Here's why:|My thinking:|In short:|The logic:) {C1}.",
)
REASON_FRAMES_2 = (
    "{C1}, and {c2}.",
    "{C1}; {c2}.",
    "(Two things|Two reasons|Twice over): {c1}, (and|plus) {c2}.",
    "(For a start|Above all), {c1}; (beyond that|as well|on top), {c2}.",
    "{C1}, while {c2}.",
    "{C1}. (Also|On top of that|Plus|Besides that|What's more|And|Beyond that), {c2}.",
    "(I picked|I chose|I went with|I landed on) it (because|since) {c1}(, and|; also,|, plus) {c2}.",
    "(It fits|It works|It earns its place) (for two reasons|on two counts|twice over): {c1}, and {c2}.",
    "{C1}; (better still|even better|on top of that|not only that|and there's more), {c2}.",
    "(First|For one|To start), {c1}. (Second|And|Then|Next), {c2}.",
    "{C1} - (and|plus|also) {c2}.",
    "{C1}. {C2}.",
)

EXTRAS_1 = _x(
    '(If you want more|For later|If it clicks), "{t2}" <BY> {a2} is (a <GOOD> (follow-up|backup|next step)|(queued|lined) up (next|behind it))(.|!)',
    '(Also|Another option|Another idea|Bonus pick|Runner-up)(:|,) "{t2}" <BY> {a2}(.|!)',
    '(I\'d also|You could also) (keep|put|add) "{t2}" <BY> {a2} (on your list|in the queue|in mind)(.|!)',
    '(Should it miss|If it doesn\'t land|If not), "{t2}" <BY> {a2} is my (backup|runner-up|second choice|plan B)(.|!)',
    '"{t2}" <BY> {a2} (is|would be) (worth a (spin|listen)|a (nice|good) (chaser|companion)) (too|as well|afterwards)(.|!)',
    '(And|Oh, and) (don\'t miss|keep an ear out for|save room for) "{t2}" <BY> {a2}(.|!)',
    '"{t2}" <BY> {a2} (also carries|is also tagged|shares) {m2}(, if you want more of that|, worth a listen too|)(.|!)',
    '(After that|Once it ends|When it\'s done), (try|queue|line up|move on to) "{t2}" <BY> {a2}(.|!)',
    '(A second|Another|One more) (option|candidate|track) (from the same search|from the list|close behind): "{t2}" <BY> {a2}(.|!)',
    '(Keep|Save|Hold on to) "{t2}" <BY> {a2} (for later|as a follow-up|for the next round)(.|!)',
    '"{t2}" <BY> {a2} (ranked|came|scored) (just behind|right after|second), (if you want a backup|should you want another|as an alternative)(.|!)',
    '(In the|On the) {m2} (side|front), "{t2}" <BY> {a2} (is|makes) (another|a second) (option|candidate)(.|!)',
    '(For more|If you want more) {m2}, "{t2}" <BY> {a2} (is next in line|comes next|is a (good|solid) follow-up)(.|!)',
)
EXTRAS_2 = _x(
    'Two more (in the same vein|along these lines|to keep handy|to try after): "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
    '(If you want more|For later|To keep going), (try|queue) "{t2}" <BY> {a2} (and|or) "{t3}" <BY> {a3}(.|!)',
    '(Also on my list|Also worth a (spin|listen)|Next in line): "{t2}" <BY> {a2}, then "{t3}" <BY> {a3}(.|!)',
    '(Backups|Runners-up|Other options), (if you need them|just in case|for later): "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
    '(Close behind|Right behind it|Hot on its heels) (are|come) "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
    '(After that|Once it ends|When you\'re done with it), (try|queue|line up) "{t2}" <BY> {a2}, (and then|followed by|or) "{t3}" <BY> {a3}(.|!)',
    '(The list|The search|My ranking) (also|further) (turned up|surfaced|put forward) "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
    '(Keep|Save) "{t2}" <BY> {a2} and "{t3}" <BY> {a3} (for later|for the next round|as backups)(.|!)',
)
# After "other artists": the extras say they are by other people (their artists differ from the last pick's).
EXTRAS_OTHER = _x(
    '(More|Other|Further) (artists|names|voices) (to explore|to try|worth a listen): "{t2}" <BY> {a2}(.|!)',
    '(For more new names|To keep branching out|If you want more variety), "{t2}" <BY> {a2} (is next|comes next|is worth a try)(.|!)',
)
EXTRAS_OTHER_2 = _x(
    '(More|Other|Further) (artists|names|voices) (to explore|to try|worth a listen): "{t2}" <BY> {a2} and "{t3}" <BY> {a3}(.|!)',
    '(For more new names|To keep branching out|For more variety), (try|queue) "{t2}" <BY> {a2} (and|or) "{t3}" <BY> {a3}(.|!)',
)

CLOSERS = _x(
    "(Let me know|Tell me) (what you think|how it (sits|lands|feels|goes)|if it works (for you|)|if you want more like it)(.|!)",
    "(Enjoy|Happy listening|Have fun with it|Enjoy the listen|Turn it up)(!|.)",
    "(Want|Shall I find|Should I look for) (more|something) (like this|in this vein|along these lines)?",
    "(Want|Shall I find|Should I look for) more (from|by) {artist}?{not_other}",
    "(Say the word|Just say|Tell me) if you('d like| want) (it|things) (calmer|louder|darker|brighter|slower|faster|weirder)(.|!)",
    "(I can|Happy to) (dig deeper|go further|keep going) (whenever you're ready|if you like|from here)(.|!)",
    "(Curious|I'm curious) (what|how) you('ll| will) think(.|!)",
    "(Hope|I hope) (it|this one) (hits the spot|clicks|lands|makes your playlist)(!|.)",
    "(Ready|Here) (for|whenever you want) (the next one|another round|more)(.|!)",
    "(Over to you|Your call|Your turn)(:|,) (more of this|a detour|something else)?",
    "(Does|Will) (that|this) (work|do it|do the trick) (for you|for now)?",
    "(Shout|Ping me|Holler) if (it's a keeper|you want a (sequel|follow-up|twist))(.|!)",
    "(More|Another one|Round two) (is|are) (one message|a word|a reply) away(.|!)",
    "(Give it a (full|proper) listen|Give it a spin|Take it for a spin)(,|) then (tell me|let me know) (where to go next|what to change)(.|!)",
    "(Keep or skip|Hit or miss)? (I'm all ears|Tell me|Your verdict decides the next one)(.|!)",
    "(What|Which) (direction|way) (next|after this)(: more of the same or a detour|, then)?",
)

NO_TRACK = (
    "(Hmm|Sorry), I (couldn't|could not) find a (good|strong|confident) match (this time|for that)(.|!) (Could you|Can you) tell me (a bit |)more about (the mood|the sound|what you're after)?",
    "(I'm|I am) (drawing a blank|coming up short) (here|on that)(.|!) (Give me|Share) (an artist|a mood|a decade) (and|so) I (can|will) (try again|dig deeper)(.|!)",
)
