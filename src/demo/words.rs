//! The words the demo data is made of: places, kinds and types of facility, and the
//! texts of scores and improvement actions (Danish, as a facility would write them).

pub(super) const PLACES: &[&str] = &[
    "Solhøj",
    "Bakkehuset",
    "Fjordly",
    "Egely",
    "Kystly",
    "Skovbrynet",
    "Lindehuset",
    "Æblehaven",
    "Møllegården",
    "Engly",
    "Toftegården",
    "Strandvejen",
    "Birkely",
    "Granly",
    "Højvang",
    "Åbrinken",
    "Kildebakken",
    "Nørremark",
    "Vestergården",
    "Østerlund",
    "Rosenhaven",
    "Bøgely",
    "Holmegården",
    "Stensbo",
    "Lyngbo",
    "Ådalen",
    "Hedebo",
    "Tranehuset",
    "Fyrrebo",
    "Sønderled",
];
pub(super) const KINDS: &[&str] = &[
    "Bostedet",
    "Botilbuddet",
    "Opholdsstedet",
    "Hjemmet",
    "Center",
    "Boligerne",
    "Institutionen",
    "Huset",
];
pub(super) const REGIONS: &[&str] = &[
    "Region Hovedstaden",
    "Region Sjælland",
    "Region Syddanmark",
    "Region Midtjylland",
    "Region Nordjylland",
];
pub(super) const TOWNS: &[&str] = &[
    "Aarhus",
    "Odense",
    "Aalborg",
    "Vejle",
    "Esbjerg",
    "Randers",
    "Kolding",
    "Horsens",
    "Viborg",
    "Silkeborg",
    "Næstved",
    "Holbæk",
    "Hillerød",
    "Svendborg",
    "Hjørring",
    "Skive",
    "Ringsted",
    "Haderslev",
    "Roskilde",
    "Thisted",
];
/// Facility types with their target groups and applicability tags.
pub(super) const TYPES: &[(&str, &str, &[&str])] = &[
    ("Botilbud (SEL § 108)", "Voksne med udviklingshæmning", &[]),
    ("Botilbud (SEL § 107)", "Voksne med sindslidelse", &[]),
    (
        "Døgninstitution (SEL § 66)",
        "Børn og unge med særlige behov",
        &["children"],
    ),
    (
        "Opholdssted (SEL § 66)",
        "Unge med sociale vanskeligheder",
        &["children"],
    ),
    ("Forsorgshjem (SEL § 110)", "Hjemløse voksne", &["shelter"]),
    (
        "Misbrugsbehandling (ambulant)",
        "Voksne med misbrug",
        &["ambulant"],
    ),
];
pub(super) const REASONING: [&[&str]; 5] = [
    &[
        "Der er ikke opstillet mål, og opfølgningen mangler. Ledelsen har sat området på handleplanen.",
        "Praksis er uens og dokumentationen sparsom; flere borgere oplever ikke at blive inddraget.",
    ],
    &[
        "Enkelte mål er opstillet, men der følges sjældent op. Personalet efterspørger fælles redskaber.",
        "Indsatsen afhænger af den enkelte medarbejder; dokumentationen viser huller i opfølgningen.",
    ],
    &[
        "Mål opstilles for de fleste borgere, og der følges op ved statusmøder. Dokumentationen kan styrkes.",
        "Praksis er kendt i personalegruppen, men anvendes ikke konsekvent i hverdagen.",
    ],
    &[
        "Mål opstilles sammen med borgeren og følges op kvartalsvis; borgerne fortæller, at de bliver hørt.",
        "Indsatsen er beskrevet og følges i praksis; enkelte afvigelser drøftes på personalemøder.",
    ],
    &[
        "Praksis er velbeskrevet og følges konsekvent; borgerne oplever stor indflydelse på egen hverdag.",
        "Dokumentationen viser systematisk opfølgning og læring; tilsynet fremhævede området som styrke.",
    ],
];
pub(super) const SOURCES: &[&str] = &[
    "Handleplaner og statusnotater",
    "Interview med borgere og pårørende",
    "Dagbogsnotater og personalemøder",
    "Tilsynsrapport og egne målinger",
    "Magtanvendelsesskemaer og opfølgninger",
];
pub(super) const ACTIONS: &[&str] = &[
    "Indføre fast opfølgning på mål ved månedlige statusmøder",
    "Kompetenceforløb for personalet om metoden",
    "Fælles skabelon for dokumentation af indsatsen",
    "Husmøder hver anden uge med dagsorden fra borgerne",
    "Supervision for personalet hver sjette uge",
    "Gennemgang af de fysiske rammer sammen med borgerne",
];
