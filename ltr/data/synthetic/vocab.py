"""The synthetic world's vocabulary: genres, scenes, moods, eras, activities, lyric themes, tags, countries.

Everything here is generic music vocabulary written for the simulator (no real artist, album or track
names). Scenes carry the latent attributes that the generator turns into tags, years, embeddings and
chat text; mood/theme entries separate the words folksonomy *tags* use from the words a *listener*
uses in chat, so the two overlap only partly, as in the real data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SceneSpec:
    """One scene (sub-genre) of a genre: its tag, typical years, energy, moods and extra tags."""

    name: str
    genre: str
    year_lo: int
    year_hi: int
    energy: float  # 0 calm .. 1 intense
    moods: tuple[str, ...]
    tags: tuple[str, ...]
    culture: str  # "" = none in particular


@dataclass(frozen=True)
class GenreSpec:
    """A genre: its folksonomy tag variants, a store-style genre label and its scenes."""

    key: str
    tags: tuple[str, ...]
    store_tag: str
    chat: tuple[str, ...]
    weight: float  # how many listeners/tracks the genre has, relative


# (name, year_lo, year_hi, energy, "moods", "extra|tags", culture)
_SCENES: dict[str, list[tuple[str, int, int, float, str, str, str]]] = {
    "rock": [
        ("classic rock", 1965, 1982, 0.6, "nostalgic energetic", "70s rock|guitar", ""),
        ("hard rock", 1970, 1995, 0.8, "energetic aggressive", "guitar|riffs", ""),
        ("alternative rock", 1988, 2012, 0.65, "sad energetic", "alternative|90s alternative", ""),
        ("indie rock", 2000, 2018, 0.6, "happy sad", "indie|guitar pop", ""),
        ("grunge", 1989, 1998, 0.75, "sad aggressive", "seattle|90s", ""),
        ("psychedelic rock", 1965, 1976, 0.5, "dreamy nostalgic", "psychedelic|60s", ""),
        ("post-rock", 1995, 2016, 0.45, "epic dreamy", "instrumental|atmospheric", ""),
        ("stoner rock", 1992, 2012, 0.7, "groovy aggressive", "desert rock|fuzz", ""),
        ("garage rock", 1999, 2012, 0.75, "energetic happy", "garage|revival", ""),
        ("britpop", 1992, 2002, 0.6, "happy nostalgic", "british|uk", "British"),
        ("progressive rock", 1969, 1982, 0.55, "epic dreamy", "prog|progressive", ""),
        ("shoegaze", 1987, 1996, 0.5, "dreamy sad", "noise pop|wall of sound", ""),
        ("blues rock", 1965, 1978, 0.6, "groovy nostalgic", "blues|guitar", ""),
        ("soft rock", 1972, 1988, 0.35, "calm romantic", "adult contemporary|70s", ""),
        ("brazilian rock", 1985, 2012, 0.65, "energetic happy", "rock nacional|brasil", "Brazilian"),
    ],
    "metal": [
        ("heavy metal", 1975, 1992, 0.85, "aggressive epic", "nwobhm|80s metal", ""),
        ("thrash metal", 1983, 1994, 0.95, "aggressive", "thrash|speed metal", ""),
        ("death metal", 1988, 2008, 1.0, "aggressive dark", "brutal death metal|growl", ""),
        ("black metal", 1991, 2012, 0.95, "dark aggressive", "atmospheric black metal|norwegian", ""),
        ("metalcore", 2000, 2016, 0.9, "aggressive energetic", "breakdowns|melodic metalcore", ""),
        ("nu metal", 1996, 2005, 0.85, "aggressive sad", "nu-metal|alternative metal", ""),
        ("progressive metal", 1993, 2016, 0.8, "epic dark", "prog metal|technical", ""),
        ("power metal", 1993, 2012, 0.85, "epic happy", "melodic metal|fantasy", ""),
        ("symphonic metal", 1997, 2014, 0.75, "epic dark", "female fronted metal|gothic metal", ""),
        ("doom metal", 1988, 2012, 0.6, "dark sad", "sludge|slow", ""),
        ("melodic death metal", 1994, 2012, 0.9, "aggressive epic", "gothenburg|melodeath", "Swedish"),
    ],
    "punk": [
        ("punk rock", 1976, 1985, 0.85, "aggressive energetic", "punk|77 punk", ""),
        ("pop punk", 1994, 2009, 0.8, "happy energetic", "pop-punk|skate punk", ""),
        ("hardcore punk", 1980, 1995, 0.95, "aggressive", "hardcore|political", ""),
        ("post-hardcore", 1998, 2013, 0.85, "aggressive sad", "screamo|emocore", ""),
        ("emo", 1995, 2009, 0.7, "sad energetic", "emo rock|midwest emo", ""),
        ("ska punk", 1993, 2003, 0.8, "happy energetic", "ska|horns", ""),
    ],
    "pop": [
        ("dance pop", 2003, 2020, 0.75, "energetic happy", "dance|club", ""),
        ("synthpop", 1979, 1989, 0.6, "nostalgic dreamy", "new wave|80s", ""),
        ("teen pop", 1997, 2010, 0.7, "happy romantic", "bubblegum|pop princess", ""),
        ("indie pop", 2004, 2020, 0.5, "dreamy happy", "twee|bedroom pop", ""),
        ("electropop", 2007, 2019, 0.7, "energetic happy", "electro|synth", ""),
        ("k-pop", 2009, 2020, 0.75, "energetic happy", "korean|kpop", "Korean"),
        ("j-pop", 2000, 2019, 0.65, "happy energetic", "japanese|anime", "Japanese"),
        ("europop", 1994, 2006, 0.75, "happy energetic", "eurodance|90s dance", "European"),
        ("dream pop", 1988, 2018, 0.35, "dreamy calm", "ethereal|atmospheric", ""),
        ("pop rock", 1995, 2015, 0.6, "happy romantic", "power pop|radio", ""),
        ("musical theatre", 1990, 2015, 0.55, "happy epic", "broadway|show tunes", ""),
    ],
    "electronic": [
        ("house", 1990, 2016, 0.75, "groovy energetic", "deep house|dance", ""),
        ("techno", 1990, 2016, 0.85, "dark energetic", "minimal|detroit", ""),
        ("idm", 1993, 2012, 0.5, "dreamy dark", "glitch|experimental", ""),
        ("ambient", 1980, 2016, 0.1, "calm dreamy", "drone|atmospheric", ""),
        ("drum and bass", 1995, 2012, 0.9, "energetic dark", "dnb|jungle", "British"),
        ("trance", 1996, 2010, 0.8, "uplifting epic", "uplifting trance|progressive trance", ""),
        ("dubstep", 2007, 2015, 0.9, "aggressive dark", "brostep|bass", ""),
        ("trip-hop", 1993, 2005, 0.4, "dark calm", "downtempo|bristol", ""),
        ("synthwave", 2010, 2020, 0.6, "nostalgic dreamy", "retrowave|outrun", ""),
        ("chillwave", 2009, 2016, 0.35, "dreamy calm", "lo-fi|glo-fi", ""),
        ("electro-industrial", 1988, 2008, 0.8, "dark aggressive", "ebm|industrial", ""),
        ("edm", 2010, 2019, 0.85, "energetic happy", "big room|festival", ""),
        ("lo-fi beats", 2014, 2020, 0.25, "calm nostalgic", "lofi hip hop|study", ""),
    ],
    "hiphop": [
        ("east coast hip hop", 1988, 2002, 0.65, "groovy aggressive", "boom bap|new york", ""),
        ("west coast hip hop", 1990, 2002, 0.65, "groovy", "g-funk|gangsta rap", ""),
        ("underground hip-hop", 1996, 2016, 0.6, "dark groovy", "underground|indie rap", ""),
        ("trap", 2012, 2020, 0.75, "aggressive dark", "trap music|atlanta", ""),
        ("conscious hip hop", 1990, 2018, 0.55, "uplifting groovy", "political|lyrical", ""),
        ("old school hip hop", 1979, 1991, 0.7, "happy groovy", "old school|80s rap", ""),
        ("cloud rap", 2011, 2019, 0.45, "dreamy dark", "emo rap|soundcloud", ""),
        ("jazz rap", 1990, 2004, 0.5, "groovy calm", "jazzy hip hop|samples", ""),
        ("grime", 2003, 2018, 0.8, "aggressive energetic", "uk rap|london", "British"),
    ],
    "rnb": [
        ("classic soul", 1960, 1976, 0.55, "romantic groovy", "motown|60s soul", ""),
        ("contemporary r&b", 1994, 2012, 0.5, "romantic groovy", "rnb|slow jams", ""),
        ("neo soul", 1995, 2010, 0.4, "romantic calm", "nu soul|smooth", ""),
        ("alternative r&b", 2011, 2020, 0.4, "romantic dark", "pbr&b|late night", ""),
        ("funk", 1967, 1982, 0.75, "groovy happy", "funky|bass", ""),
        ("disco", 1974, 1982, 0.8, "happy groovy", "70s disco|dance", ""),
    ],
    "folk": [
        ("indie folk", 2004, 2020, 0.35, "calm sad", "folk|acoustic", ""),
        ("folk rock", 1964, 1977, 0.45, "nostalgic calm", "folk|60s", ""),
        ("singer-songwriter", 1968, 2018, 0.3, "sad romantic", "acoustic|storytelling", ""),
        ("americana", 1995, 2018, 0.45, "nostalgic calm", "roots|alt-country", "American"),
        ("freak folk", 2002, 2012, 0.4, "dreamy", "psych folk|weird", ""),
        ("celtic folk", 1975, 2012, 0.5, "happy epic", "irish|celtic", "Irish"),
    ],
    "jazz": [
        ("bebop", 1945, 1962, 0.6, "groovy", "hard bop|saxophone", ""),
        ("cool jazz", 1950, 1965, 0.3, "calm romantic", "west coast jazz|trumpet", ""),
        ("jazz fusion", 1969, 1982, 0.6, "groovy epic", "fusion|jazz-rock", ""),
        ("smooth jazz", 1983, 2005, 0.3, "calm romantic", "lounge|saxophone", ""),
        ("vocal jazz", 1950, 1968, 0.35, "romantic nostalgic", "standards|crooner", ""),
        ("nu jazz", 1998, 2014, 0.5, "groovy calm", "electronic jazz|downtempo", ""),
    ],
    "classical": [
        ("film score", 1990, 2019, 0.45, "epic dreamy", "soundtrack|orchestral", ""),
        ("video game music", 1995, 2019, 0.55, "epic nostalgic", "game soundtrack|ost", ""),
        ("modern classical", 1995, 2019, 0.2, "calm sad", "neoclassical|piano", ""),
        ("baroque", 1980, 2012, 0.4, "calm epic", "classical|harpsichord", ""),
        ("romantic era", 1980, 2012, 0.4, "romantic epic", "classical|orchestra", ""),
        ("epic orchestral", 2006, 2019, 0.8, "epic uplifting", "trailer music|cinematic", ""),
    ],
    "country": [
        ("classic country", 1955, 1978, 0.45, "nostalgic sad", "honky tonk|oldies", "American"),
        ("outlaw country", 1970, 1985, 0.55, "nostalgic", "outlaw|southern", "American"),
        ("country pop", 1995, 2016, 0.6, "happy romantic", "new country|nashville", "American"),
        ("bluegrass", 1960, 2012, 0.6, "happy", "banjo|acoustic", "American"),
        ("alt-country", 1992, 2014, 0.45, "sad calm", "insurgent country|twang", "American"),
    ],
    "latin": [
        ("latin pop", 1995, 2016, 0.65, "romantic happy", "pop latino|spanish", "Latin American"),
        ("reggaeton", 2004, 2020, 0.8, "energetic groovy", "urbano|perreo", "Latin American"),
        ("bossa nova", 1958, 1972, 0.25, "calm romantic", "brazilian|samba", "Brazilian"),
        ("mpb", 1965, 2014, 0.4, "calm happy", "musica popular brasileira|brasil", "Brazilian"),
        ("salsa", 1968, 1995, 0.75, "groovy happy", "tropical|latin", "Latin American"),
        ("latin rock", 1985, 2010, 0.65, "energetic", "rock en espanol|spanish", "Latin American"),
    ],
    "reggae": [
        ("roots reggae", 1970, 1985, 0.45, "groovy uplifting", "roots|jamaica", "Jamaican"),
        ("dancehall", 1985, 2012, 0.75, "energetic groovy", "ragga|jamaican", "Jamaican"),
        ("dub", 1973, 2005, 0.35, "dreamy groovy", "dub reggae|bass", ""),
        ("ska", 1962, 1985, 0.7, "happy groovy", "two tone|horns", ""),
    ],
    "blues": [
        ("delta blues", 1928, 1965, 0.35, "sad nostalgic", "acoustic blues|slide guitar", "American"),
        ("chicago blues", 1950, 1975, 0.55, "groovy sad", "electric blues|harmonica", "American"),
    ],
    "world": [
        ("afrobeat", 1970, 2016, 0.75, "groovy energetic", "african|afro", "African"),
        ("flamenco", 1970, 2012, 0.6, "romantic", "spanish guitar|gypsy", "Spanish"),
        ("chanson", 1950, 2010, 0.35, "romantic nostalgic", "french|francais", "French"),
        ("balkan", 1995, 2015, 0.8, "happy energetic", "gypsy punk|brass", "Balkan"),
        ("bollywood", 1990, 2016, 0.7, "happy romantic", "hindi|desi", "Indian"),
    ],
    "christian": [
        ("contemporary christian", 1995, 2019, 0.5, "uplifting calm", "ccm|worship", "Christian"),
        ("christian rock", 1998, 2014, 0.7, "uplifting energetic", "christian|faith", "Christian"),
        ("gospel", 1960, 2012, 0.55, "uplifting", "choir|spiritual", "Christian"),
    ],
    "other": [
        ("new age", 1985, 2016, 0.05, "calm dreamy", "relaxation|meditation", ""),
        ("nature sounds", 2005, 2019, 0.0, "calm", "white noise|sleep", ""),
        ("comedy music", 1985, 2016, 0.6, "happy", "comedy|parody", ""),
        ("children's music", 1990, 2016, 0.55, "happy", "kids|family", ""),
    ],
}

GENRES: dict[str, GenreSpec] = {
    "rock": GenreSpec("rock", ("rock", "Rock", "alternative", "Alternative"), "Rock", ("rock", "guitar music"), 3.2),
    "metal": GenreSpec("metal", ("metal", "Metal", "heavy"), "Metal", ("metal", "heavy music"), 1.6),
    "punk": GenreSpec("punk", ("punk", "Punk", "Alternative"), "Alternative", ("punk", "punk rock"), 1.0),
    "pop": GenreSpec("pop", ("pop", "Pop"), "Pop", ("pop", "pop music"), 2.4),
    "electronic": GenreSpec(
        "electronic", ("electronic", "Electronic", "electronica", "Dance"), "Electronic", ("electronic", "electronic music"), 1.8
    ),
    "hiphop": GenreSpec("hiphop", ("hip-hop", "hip hop", "rap", "Hip-Hop/Rap"), "Hip-Hop/Rap", ("hip-hop", "rap"), 1.5),
    "rnb": GenreSpec("rnb", ("soul", "rnb", "R&B/Soul"), "R&B/Soul", ("r&b", "soul"), 0.8),
    "folk": GenreSpec("folk", ("folk", "acoustic", "Singer/Songwriter"), "Singer/Songwriter", ("folk", "acoustic music"), 0.9),
    "jazz": GenreSpec("jazz", ("jazz", "Jazz"), "Jazz", ("jazz",), 0.5),
    "classical": GenreSpec("classical", ("Classical", "soundtrack", "Soundtracks"), "Soundtrack", ("classical", "instrumental"), 0.7),
    "country": GenreSpec("country", ("country", "Country"), "Country", ("country",), 0.5),
    "latin": GenreSpec("latin", ("Latin", "latin"), "Latin", ("latin",), 0.6),
    "reggae": GenreSpec("reggae", ("reggae", "Reggae"), "Reggae", ("reggae",), 0.3),
    "blues": GenreSpec("blues", ("blues", "Blues"), "Blues", ("blues",), 0.25),
    "world": GenreSpec("world", ("world", "World"), "World", ("world music",), 0.3),
    "christian": GenreSpec("christian", ("christian", "Christian & Gospel"), "Christian & Gospel", ("christian music",), 0.35),
    "other": GenreSpec("other", ("Others", "easy listening"), "Others", ("something different",), 0.2),
}

SCENES: tuple[SceneSpec, ...] = tuple(
    SceneSpec(
        name=name,
        genre=genre,
        year_lo=y0,
        year_hi=y1,
        energy=energy,
        moods=tuple(moods.split()),
        tags=tuple(t for t in tags.split("|") if t),
        culture=culture,
    )
    for genre, rows in _SCENES.items()
    for (name, y0, y1, energy, moods, tags, culture) in rows
)

# mood key -> (folksonomy tag words, listener chat words)
MOODS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "calm": (("chill", "chillout", "mellow", "relaxing", "calm", "easy listening", "soft"),
             ("calm", "chill", "relaxed", "laid-back", "mellow", "soothing", "peaceful", "gentle")),
    "sad": (("sad", "melancholy", "melancholic", "bittersweet", "depressing", "heartbreak"),
            ("sad", "melancholic", "bittersweet", "emotional", "moody", "heartbroken", "wistful")),
    "happy": (("happy", "feel good", "fun", "cheerful", "summer", "sunshine"),
              ("happy", "cheerful", "feel-good", "fun", "sunny", "joyful", "bright")),
    "energetic": (("energetic", "upbeat", "high energy", "party", "dance", "driving"),
                  ("energetic", "upbeat", "high-energy", "driving", "pumped up", "lively")),
    "aggressive": (("aggressive", "heavy", "brutal", "angry", "intense", "raw"),
                   ("aggressive", "heavy", "intense", "angry", "raw", "hard-hitting")),
    "dark": (("dark", "haunting", "gothic", "creepy", "atmospheric", "eerie"),
             ("dark", "haunting", "eerie", "brooding", "ominous", "mysterious")),
    "dreamy": (("dreamy", "atmospheric", "ethereal", "ambient", "spacey", "psychedelic"),
               ("dreamy", "atmospheric", "ethereal", "floaty", "hazy", "spacey")),
    "romantic": (("romantic", "love", "sexy", "sensual", "love songs", "smooth"),
                 ("romantic", "sensual", "intimate", "tender", "smooth", "sweet")),
    "epic": (("epic", "cinematic", "powerful", "majestic", "anthemic"),
             ("epic", "cinematic", "grand", "powerful", "soaring", "anthemic")),
    "nostalgic": (("nostalgia", "nostalgic", "oldies", "memories", "classic", "retro"),
                  ("nostalgic", "throwback", "retro", "timeless", "old-school", "classic")),
    "groovy": (("groovy", "funky", "smooth", "grooves", "danceable", "funk"),
               ("groovy", "funky", "smooth", "bouncy", "danceable", "rhythmic")),
    "uplifting": (("uplifting", "inspiring", "hopeful", "beautiful", "positive"),
                  ("uplifting", "inspiring", "hopeful", "positive", "motivating", "encouraging")),
}
MOOD_KEYS: tuple[str, ...] = tuple(MOODS)

# activity -> (chat phrases, occasional tag)
ACTIVITIES: dict[str, tuple[tuple[str, ...], str]] = {
    "studying": (("studying", "focusing on work", "concentrating", "reading"), "study"),
    "workout": (("working out", "the gym", "a run", "lifting"), "workout"),
    "driving": (("driving", "a long road trip", "a night drive", "the commute"), "driving"),
    "sleeping": (("falling asleep", "winding down before bed", "a quiet night in"), "sleep"),
    "party": (("a party", "pregaming with friends", "a house party", "dancing"), "party"),
    "cooking": (("cooking dinner", "a dinner party", "a lazy sunday"), "sunday"),
    "rainy": (("a rainy day", "a grey afternoon", "staying in while it rains"), "rainy day"),
    "latenight": (("late at night", "a late night", "the small hours"), "late night"),
    "morning": (("my morning coffee", "waking up", "a fresh start to the day"), "morning"),
    "gaming": (("gaming", "a gaming session", "playing video games"), "gaming"),
    "relaxing": (("relaxing after work", "unwinding", "chilling at home"), "relax"),
    "summer": (("a summer afternoon", "the beach", "a barbecue"), "summer"),
}

# lyric theme -> (chat phrases, title words)
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "love": (("love and connection", "falling in love", "romance", "being in love"),
             ("Love", "Heart", "Kiss", "Baby", "Forever", "Darling", "Together", "Yours", "Honey", "Lover")),
    "heartbreak": (("heartbreak", "breakups", "losing someone", "moving on"),
                   ("Broken", "Tears", "Goodbye", "Alone", "Gone", "Without You", "Cry", "Lonely", "Over")),
    "social": (("social commentary", "politics", "injustice", "society"),
               ("System", "Nation", "Revolution", "Machine", "Riot", "Empire", "Propaganda", "Streets")),
    "empower": (("self-empowerment", "confidence", "standing up for yourself", "strength"),
                ("Rise", "Stronger", "Unstoppable", "Fighter", "Crown", "Queen", "Warrior", "Survivor")),
    "nostalgia": (("nostalgia", "memories", "growing up", "the past"),
                  ("Yesterday", "Memories", "Summer", "Remember", "Old Days", "Back Home", "Childhood", "Photograph")),
    "faith": (("faith", "hope", "spirituality", "redemption"),
              ("Grace", "Heaven", "Amen", "Light", "Glory", "Faith", "Prayer", "Angel", "Holy")),
    "freedom": (("freedom", "rebellion", "escaping", "breaking free"),
                ("Free", "Wild", "Run", "Escape", "Highway", "Rebel", "Outlaw", "Runaway", "Fly")),
    "loneliness": (("loneliness", "isolation", "introspection", "feeling lost"),
                   ("Empty", "Silence", "Shadow", "Lost", "Ghost", "Nowhere", "Void", "Echo", "Hollow")),
    "party": (("partying", "having fun", "the weekend", "nightlife"),
              ("Party", "Tonight", "Dance", "Club", "Weekend", "Shots", "Friday", "Bounce", "Lights")),
    "nature": (("nature", "the ocean", "the seasons", "the outdoors"),
               ("River", "Ocean", "Mountain", "Rain", "Sun", "Moon", "Forest", "Winter", "Storm", "Sky")),
    "night": (("city nights", "night life", "the city", "late nights"),
              ("Midnight", "Night", "City", "Neon", "Streetlights", "After Dark", "Downtown", "Starlight")),
    "dreams": (("dreams", "escapism", "fantasy", "otherworldly things"),
               ("Dream", "Dreamer", "Paradise", "Stars", "Galaxy", "Wonderland", "Cloud", "Fantasy")),
    "death": (("death and loss", "grief", "mortality", "darkness"),
              ("Death", "Grave", "Blood", "Funeral", "Ashes", "Bones", "Reaper", "Requiem", "Black")),
    "friendship": (("friendship", "loyalty", "being there for each other"),
                   ("Friends", "Brother", "Sister", "Home", "Together", "Family", "Crew")),
    "money": (("success", "money and fame", "the hustle", "making it"),
              ("Money", "Gold", "Diamonds", "Rich", "Hustle", "Paper", "Cash", "Boss", "Million")),
}
THEME_KEYS: tuple[str, ...] = tuple(THEMES)

# Generic words for titles; many also turn up in listener chat, which is what makes text retrieval noisy.
TITLE_WORDS: tuple[str, ...] = (
    "Love", "Heart", "Night", "Feel", "Dream", "Home", "Light", "Fire", "Rain", "Summer", "Dance", "Blue",
    "Time", "Life", "World", "Soul", "Sun", "Moon", "Star", "River", "Road", "Ghost", "Gold", "Wild", "Free",
    "Lost", "Girl", "Boy", "Baby", "Forever", "Tonight", "Morning", "City", "Sweet", "Dark", "Cold", "Young",
    "Alive", "Heaven", "Angel", "Devil", "Blood", "Storm", "Ocean", "Sky", "Shadow", "Memory", "Silence",
    "Echo", "Paradise", "Highway", "Midnight", "Happy", "Crazy", "Beautiful", "Slow", "Electric", "Golden",
    "Broken", "Wonder", "Dust", "Glass", "Stone", "Water", "Burn", "Fall", "Rise", "Run", "Falling", "Flying",
    "Waiting", "Dancing", "Sleep", "Wake", "Hold", "Stay", "Come", "Back", "Away", "Down", "Out", "High",
    "Low", "Good", "Bad", "Better", "Last", "First", "Little", "Big", "Red", "White", "Black", "Green", "Silver",
    "Velvet", "Honey", "Sugar", "Candy", "Cherry", "Wine", "Whiskey", "Coffee", "Sunday", "Monday", "Friday",
    "Summertime", "Winter", "Spring", "Autumn", "September", "July", "Yesterday", "Today", "Tomorrow",
    "Again", "Alone", "Together", "Somebody", "Nobody", "Everything", "Nothing", "Something", "Wonderful",
    "Song", "Melody", "Rhythm", "Beat", "Groove", "Vibe", "Sound", "Music", "Radio", "Television", "Machine",
    "Dreamer", "Lover", "Stranger", "Friend", "Enemy", "King", "Queen", "Prince", "Kingdom", "Empire",
    "Garden", "Forest", "Mountain", "Island", "Desert", "Valley", "Bridge", "Window", "Door", "Room", "House",
    "Street", "Avenue", "Station", "Train", "Ship", "Wings", "Feathers", "Mirror", "Picture", "Letter",
    "Promise", "Secret", "Lie", "Truth", "Reason", "Chance", "Luck", "Fortune", "Hope", "Faith", "Grace",
    "Peace", "War", "Battle", "Hero", "Legend", "Story", "Chapter", "Journey", "Escape", "Wave", "Tide",
    "Thunder", "Lightning", "Snow", "Ice", "Flame", "Smoke", "Mist", "Haze", "Dawn", "Dusk", "Twilight",
    "Orbit", "Planet", "Galaxy", "Space", "Satellite", "Rocket", "Signal", "Static", "Wire", "Neon",
)
TITLE_JOINERS: tuple[str, ...] = ("of the", "in the", "on the", "for the", "and", "with", "to the", "of", "in my", "for")

INSTRUMENTS: tuple[str, ...] = (
    "guitar", "piano", "synth", "strings", "saxophone", "violin", "drums", "bass", "acoustic guitar", "horns",
    "organ", "banjo", "trumpet", "cello", "808s",
)
DESCRIPTOR_TAGS: tuple[str, ...] = (
    "male vocalists", "female vocalists", "male vocalist", "female vocalist", "instrumental", "british",
    "american", "canadian", "swedish", "german", "australian", "cover", "live", "acoustic", "classic",
    "singer-songwriter", "catchy", "beautiful", "english", "90s", "00s", "80s",
)
JUNK_TAGS: tuple[str, ...] = (
    "favorites", "favorite", "favourites", "favourite", "awesome", "seen live", "love", "loved", "amazing",
    "cool", "love at first listen", "favorite songs", "great song", "best songs ever", "albums i own",
    "check out", "songs i like", "under 2000 listeners", "spotify", "my playlist", "good", "epic", "sexy",
    "10 of 10 stars", "9 of 10 stars", "8 of 10 stars", "7 of 10 stars", "6 of 10 stars", "5 stars",
    "perfect", "lovely", "to listen", "collection", "makes me happy", "guilty pleasure", "earworm",
)
DECADE_TAGS: dict[int, tuple[str, ...]] = {
    1920: ("20s", "oldies"), 1930: ("30s", "oldies"), 1940: ("40s", "oldies"), 1950: ("50s", "oldies"),
    1960: ("60s", "oldies"), 1970: ("70s",), 1980: ("80s",), 1990: ("90s",),
    2000: ("00s", "2000s"), 2010: ("10s", "2010s"), 2020: ("20s", "2020s"),
}

# Listener-side era phrases keyed by decade.
DECADE_CHAT: dict[int, tuple[str, ...]] = {
    1920: ("the 20s", "the early days of recording"), 1930: ("the 30s",), 1940: ("the 40s",),
    1950: ("the 50s", "the fifties"), 1960: ("the 60s", "the sixties"), 1970: ("the 70s", "the seventies"),
    1980: ("the 80s", "the eighties"), 1990: ("the 90s", "the nineties"), 2000: ("the 2000s", "the early 2000s", "the 00s"),
    2010: ("the 2010s", "the last decade", "the mid-2010s"), 2020: ("the last couple of years",),
}

AGE_GROUPS: tuple[tuple[str, int, int, int], ...] = (
    # (group, min age, max age, count in the real user table)
    ("10s", 13, 19, 1879), ("20s", 20, 29, 5567), ("30s", 30, 39, 1030), ("40s", 40, 49, 222),
    ("50s", 50, 59, 62), ("60+", 60, 74, 12),
)
GENDERS: tuple[tuple[str, int], ...] = (("male", 6323), ("female", 2449))

# (code, name, weight): the real user-country mix, with the long tail folded into a few entries.
COUNTRIES: tuple[tuple[str, str, int], ...] = (
    ("US", "United States", 1603), ("BR", "Brazil", 955), ("PL", "Poland", 868), ("UK", "United Kingdom", 659),
    ("RU", "Russia", 548), ("DE", "Germany", 511), ("NL", "Netherlands", 280), ("AU", "Australia", 257),
    ("FI", "Finland", 223), ("SE", "Sweden", 210), ("CA", "Canada", 174), ("ES", "Spain", 154),
    ("UA", "Ukraine", 142), ("MX", "Mexico", 140), ("FR", "France", 126), ("NO", "Norway", 122),
    ("IT", "Italy", 107), ("CZ", "Czech Republic", 107), ("ID", "Indonesia", 104), ("CL", "Chile", 89),
    ("TR", "Turkey", 80), ("JP", "Japan", 74), ("HR", "Croatia", 67), ("AR", "Argentina", 64),
    ("BE", "Belgium", 63), ("BY", "Belarus", 63), ("PT", "Portugal", 45), ("BG", "Bulgaria", 43),
    ("RS", "Serbia", 43), ("DK", "Denmark", 41), ("CO", "Colombia", 40), ("RO", "Romania", 40),
    ("HU", "Hungary", 40), ("AT", "Austria", 38), ("LT", "Lithuania", 36), ("NZ", "New Zealand", 35),
    ("LV", "Latvia", 34), ("CH", "Switzerland", 34), ("VE", "Venezuela", 32), ("SK", "Slovakia", 32),
    ("IE", "Ireland", 31), ("ZA", "South Africa", 29), ("IL", "Israel", 22), ("EE", "Estonia", 22),
    ("PH", "Philippines", 21), ("IR", "Iran", 20), ("PE", "Peru", 20), ("GR", "Greece", 17),
    ("KZ", "Kazakhstan", 13), ("MY", "Malaysia", 13), ("SI", "Slovenia", 12), ("CN", "China", 11),
    ("SG", "Singapore", 11), ("IN", "India", 10), ("GE", "Georgia", 8), ("VN", "Vietnam", 8),
    ("EG", "Egypt", 8), ("TN", "Tunisia", 8), ("MK", "North Macedonia", 7), ("MD", "Moldova", 7),
    ("PY", "Paraguay", 6), ("AQ", "Antarctica", 6), ("TH", "Thailand", 6), ("TW", "Taiwan", 6),
    ("MA", "Morocco", 6), ("AE", "United Arab Emirates", 5), ("CR", "Costa Rica", 5), ("EC", "Ecuador", 4),
    ("IS", "Iceland", 4), ("HK", "Hong Kong", 3), ("UY", "Uruguay", 3), ("LU", "Luxembourg", 3),
    ("KR", "South Korea", 1), ("MT", "Malta", 2), ("DO", "Dominican Republic", 1), ("KE", "Kenya", 1),
)

# ISRC registrant country prefixes for the catalog.
ISRC_COUNTRIES: tuple[str, ...] = ("US", "GB", "DE", "FR", "SE", "BR", "CA", "AU", "NL", "JP", "ES", "IT", "QM", "QZ")

CULTURE_PATTERNS: tuple[str, ...] = (
    "Western", "Western", "Western", "{genre} Culture", "American {genre}", "Western {genre} Culture",
    "{genre}", "North American", "American", "Anglo-American", "{culture}", "{culture} {genre}",
    "Western {genre}", "{genre} Fan Culture",
)
GENRE_CULTURE_NAME: dict[str, str] = {
    "rock": "Rock", "metal": "Metal", "punk": "Punk Rock", "pop": "Pop", "electronic": "Electronic Music",
    "hiphop": "Hip-Hop", "rnb": "R&B/Soul", "folk": "Folk", "jazz": "Jazz", "classical": "Classical",
    "country": "Country", "latin": "Latin", "reggae": "Reggae", "blues": "Blues", "world": "World Music",
    "christian": "Christian", "other": "Alternative",
}

GOAL_CATEGORIES: tuple[str, ...] = tuple("ABCDEFGHIJK")
SPECIFICITIES: tuple[str, ...] = ("HH", "HL", "LH", "LL")
# Real train mix of goal category x specificity (sessions).
GOAL_MIX: dict[str, tuple[int, int, int, int]] = {
    "A": (19, 506, 357, 202), "B": (410, 574, 546, 619), "C": (49, 120, 624, 185), "D": (151, 395, 472, 186),
    "E": (92, 348, 471, 389), "F": (154, 455, 314, 164), "G": (165, 404, 534, 256), "H": (193, 769, 604, 629),
    "I": (103, 54, 140, 90), "J": (188, 495, 495, 318), "K": (170, 665, 621, 504),
}
# Real dev (test split) mix: dev goals differ from train (more E/K, fewer H/J).
GOAL_MIX_DEV: dict[str, tuple[int, int, int, int]] = {
    "A": (0, 26, 13, 22), "B": (22, 42, 35, 43), "C": (1, 8, 32, 17), "D": (12, 28, 26, 20), "E": (8, 16, 44, 27),
    "F": (12, 32, 31, 20), "G": (5, 31, 22, 19), "H": (14, 48, 39, 34), "I": (3, 2, 8, 5), "J": (10, 30, 16, 21),
    "K": (15, 44, 47, 50),
}
# Real train share of MOVES_TOWARD_GOAL by category (turns 2..8).
GOAL_MOVES_RATE: dict[str, float] = {
    "A": 0.567, "B": 0.500, "C": 0.517, "D": 0.531, "E": 0.469, "F": 0.519, "G": 0.492, "H": 0.532,
    "I": 0.383, "J": 0.506, "K": 0.484,
}
