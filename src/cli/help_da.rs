//! The Danish help texts of the command line: one per subcommand (by its path) and one per
//! argument (by its id, where the same id means the same thing everywhere, or by path and
//! id). The English ones are the doc comments; `help.rs` applies these at start-up.

/// What each command does, by its path ("" is the program itself).
pub const ABOUT: &[(&str, &str)] = &[
    (
        "",
        "tilsynsklar: et tilbuds årlige kvalitetsselvevaluering efter socialtilsynets kvalitetsmodel, gemt i SQLite, med hullerne koblet til regionens handleplaner",
    ),
    ("help", "Vis denne hjælp eller hjælpen til en underkommando"),
    (
        "model",
        "Kvalitetsmodeller: vis liste, vis, tjek og indlæs en regions officielle kopi",
    ),
    (
        "model list",
        "Modelversionerne i databasen; den aktive af hvert id bruges til nye vurderinger",
    ),
    (
        "model show",
        "En model som træ med id'er og mærker for tekstens oprindelse [standard: modellen i kraft i år]",
    ),
    ("model validate", "Tjekker en modelfil uden at indlæse den"),
    (
        "model import",
        "Indlæser en regions officielle kopi af en models tekst; den bliver den aktive version",
    ),
    ("strategy", "Regionale strategier og deres handleplaner"),
    ("strategy list", "Strategierne i databasen"),
    (
        "strategy show",
        "En strategi: dens temaer, fokusområder, handleplaner og koblingerne fra kvalitetsmodellen",
    ),
    (
        "strategy validate",
        "Tjekker en strategifil mod modellerne i databasen uden at indlæse den",
    ),
    (
        "strategy import",
        "Indlæser en regions strategifil; den erstatter en strategi med samme id",
    ),
    (
        "strategy link",
        "Tilføjer eller fjerner en kobling fra et punkt i kvalitetsmodellen til en handleplan",
    ),
    (
        "strategy link add",
        "Kobler et tema, kriterium eller en indikator til en handleplan (eller et punkt i strategien)",
    ),
    ("strategy link remove", "Fjerner en kobling"),
    ("facility", "Tilbud"),
    ("facility add", "Opretter et tilbud"),
    ("facility list", "Tilbuddene, efter navn"),
    ("facility show", "Et tilbud med dets vurderinger"),
    (
        "facility edit",
        "Ændrer et tilbuds oplysninger; det, der ikke angives, forbliver som det er",
    ),
    (
        "facility archive",
        "Arkiverer et tilbud: det forsvinder fra listerne, dets vurderinger bevares",
    ),
    (
        "assessment",
        "Selvevalueringer: start, vis liste, vis, opsummér, afslut, genåbn, log",
    ),
    (
        "assessment start",
        "Starter et tilbuds selvevaluering for et år",
    ),
    ("assessment list", "Vurderingerne, nyeste år først"),
    (
        "assessment show",
        "Hver indikator i en vurdering med score, begrundelse og kilder",
    ),
    (
        "assessment summary",
        "Gennemsnit for kriterier og temaer, fremdrift, og temaernes gennemsnit som søjler",
    ),
    (
        "assessment finalise",
        "Afslutter og underskriver vurderingen; afvises, så længe en indikator mangler score",
    ),
    (
        "assessment reopen",
        "Genåbner en afsluttet vurdering for ændringer; begrundelsen logges",
    ),
    (
        "assessment log",
        "En vurderings log: hver ændring med gammel og ny værdi, hvem og hvornår",
    ),
    ("score", "Indikatorernes scorer"),
    (
        "score set",
        "Giver en indikator en score 1–5, eller markerer den som ikke relevant med en begrundelse",
    ),
    (
        "score apply",
        "Gemmer mange scorer fra en fil med JSON-linjer, hver gemt for sig",
    ),
    (
        "score confirm",
        "Bekræfter en score overført fra sidste år som genvurderet, uændret",
    ),
    (
        "gaps",
        "En vurderings huller med de handleplaner, der svarer på dem; reglerne for huller",
    ),
    ("action", "Udviklingspunkter oprettet for huller"),
    (
        "action add",
        "Opretter et udviklingspunkt i en vurderings år",
    ),
    (
        "action list",
        "Udviklingspunkterne for én vurdering, ét tilbud eller alle tilbud",
    ),
    (
        "action edit",
        "Ændrer et åbent udviklingspunkt; det, der ikke angives, forbliver som det er",
    ),
    ("action done", "Markerer et udviklingspunkt som udført"),
    (
        "action drop",
        "Opgiver et udviklingspunkt, med begrundelsen",
    ),
    (
        "export",
        "Eksporterer vurderinger: JSON-udvekslingsfilen, CSV, XLSX, en rapport i HTML eller Markdown",
    ),
    (
        "import",
        "Fletter udvekslingsfiler ind i denne database, alt eller intet pr. fil",
    ),
    (
        "compare",
        "Sammenligner et tilbud over årene, et års tilbud, eller udviklingen",
    ),
    (
        "demo",
        "Danner realistiske demodata i en tom database [standard: tilsynsklar-demo.db ved siden af den rigtige]",
    ),
    (
        "backup",
        "Kopierer databasen med SQLites online-backup (sikkert, mens andre skriver)",
    ),
    (
        "doctor",
        "Tjekker databasen: integritet, fremmednøgler, skemaversion, låse-triggere, modellernes hash, logkæden, underskrifter",
    ),
    (
        "privacy",
        "Politikken for personoplysninger, og en gennemgang af teksterne for CPR-numre, e-mailadresser og telefonnumre",
    ),
    (
        "verify",
        "Genberegner loggens hashkæde og underskrifternes hash og nævner alt, der er ændret uden om programmet",
    ),
];

/// Arguments whose id means the same in every command.
pub const COMMON: &[(&str, &str)] = &[
    ("help", "Vis hjælp"),
    ("version", "Vis versionen"),
    (
        "db",
        "Databasefilen [standard: tilsynsklar.db i brugerens datamappe]",
    ),
    ("lang", "Brugerfladens sprog"),
    (
        "user",
        "Navnet, der skrives i loggen [standard: styresystemets bruger]",
    ),
    (
        "strict",
        "Afvis at gemme tekster med et CPR-nummer, en e-mailadresse eller et telefonnummer (uanset databasens politik; se `privacy`)",
    ),
    ("json", "Skriv JSON"),
    ("assessment", "Vurderingens nummer"),
    (
        "facility",
        "Tilbuddets nummer eller navn (name:12 er tilbuddet, der hedder \"12\")",
    ),
    ("year", "Året [standard: tilbuddets nyeste]"),
    ("indicator", "Indikatorens id, fx 6a"),
    (
        "mask",
        "Erstat CPR-numre, e-mailadresser og telefonnumre i teksterne, før de gemmes",
    ),
    ("file", "Filen"),
    ("all", "Alle tilbud og vurderinger"),
    ("id", "Nummeret"),
];

/// Arguments by command path and id, where the common text does not fit.
pub const ARGS: &[(&str, &str, &str)] = &[
    (
        "model show",
        "id",
        "Modellens id [standard: modellen i kraft i år]",
    ),
    ("model show", "json", "Hele modelfilen som JSON"),
    ("model validate", "file", "Modelfilen (JSON)"),
    ("model import", "file", "Modelfilen (JSON)"),
    ("strategy show", "id", "Strategiens id"),
    ("strategy validate", "file", "Strategifilen (JSON)"),
    ("strategy import", "file", "Strategifilen (JSON)"),
    ("strategy link add", "strategy", "Strategiens id"),
    (
        "strategy link add",
        "node",
        "Et tema-, kriterie- eller indikator-id i strategiens model, fx 14a",
    ),
    (
        "strategy link add",
        "target",
        "Et handleplan-id i strategien, fx RM-03",
    ),
    (
        "strategy link add",
        "basis",
        "Koblingens grundlag: angivet i kilden, foreslået eller lokal",
    ),
    ("strategy link add", "note", "En note til koblingen"),
    ("strategy link remove", "strategy", "Strategiens id"),
    (
        "strategy link remove",
        "node",
        "Tema-, kriterie- eller indikator-id'et",
    ),
    ("strategy link remove", "target", "Handleplanens id"),
    (
        "facility add",
        "name",
        "Tilbuddets navn, fx \"Bostedet Solhøj\"",
    ),
    (
        "facility add",
        "organisation",
        "Organisationen eller regionen, der driver det",
    ),
    ("facility add", "location", "Hvor det ligger"),
    (
        "facility add",
        "facility_type",
        "Tilbudstypen, fx \"Botilbud (SEL § 108)\"",
    ),
    ("facility add", "target_group", "Målgruppen"),
    (
        "facility add",
        "tags",
        "Et mærke, der gælder for tilbuddet (children, board, ambulant, shelter); kan gentages",
    ),
    ("facility list", "all", "Også arkiverede tilbud"),
    ("facility edit", "name", "Det nye navn"),
    (
        "facility edit",
        "organisation",
        "Den nye organisation eller region",
    ),
    ("facility edit", "location", "Det nye sted"),
    ("facility edit", "facility_type", "Den nye tilbudstype"),
    ("facility edit", "target_group", "Den nye målgruppe"),
    (
        "facility edit",
        "tags",
        "Erstatter mærkerne med disse; kan gentages",
    ),
    ("facility edit", "no_tags", "Fjerner alle mærker"),
    ("assessment start", "year", "Året"),
    (
        "assessment start",
        "model",
        "Modellens id [standard: modellen i kraft det år]",
    ),
    (
        "assessment start",
        "from_last_year",
        "Start fra tilbuddets seneste tidligere vurdering: scorer og tekster kopieres ind, hver markeret \"ikke genvurderet\", til den bekræftes eller ændres",
    ),
    ("assessment list", "facility", "Kun dette tilbuds"),
    ("assessment finalise", "by", "Hvem der underskriver"),
    (
        "assessment reopen",
        "reason",
        "Hvorfor vurderingen genåbnes (logges)",
    ),
    ("score set", "value", "Scoren, 1–5"),
    (
        "score set",
        "not_relevant",
        "Indikatoren er ikke relevant for tilbuddet (kræver --reason)",
    ),
    (
        "score set",
        "reason",
        "Begrundelsen; bevares som den er, når den udelades",
    ),
    (
        "score set",
        "sources",
        "En datakilde eller et belæg; kan gentages; erstatter de gemte, når den angives",
    ),
    (
        "score apply",
        "file",
        "JSON-linjer, én score hver: {\"indicator\":\"1a\",\"value\":4,\"reasoning\":\"…\",\"sources\":\"…\"} eller {\"indicator\":\"2d\",\"not_relevant\":true,\"reasoning\":\"…\"}; - læser standardinput",
    ),
    (
        "gaps",
        "explain",
        "Forklarer reglerne i kraft og hvordan de ændres",
    ),
    (
        "gaps",
        "set",
        "Sætter en regel for denne database, fx indicator_gap_max=2 (kan gentages)",
    ),
    ("gaps", "reset", "Sætter reglerne tilbage til standard"),
    (
        "action add",
        "indicators",
        "En indikator, som udviklingspunktet svarer på (kan gentages)",
    ),
    ("action add", "text", "Hvad der skal gøres"),
    (
        "action add",
        "plan",
        "Handleplanen, det hører til, fx RM-02 (udelad for et lokalt udviklingspunkt)",
    ),
    ("action add", "owner", "Hvem der er ansvarlig"),
    ("action add", "due", "Fristen: 31-03-2026 eller 2026-03-31"),
    ("action list", "year", "Med --facility: kun det års"),
    ("action list", "all", "Alle tilbuds (regionens overblik)"),
    (
        "action list",
        "overdue",
        "Kun åbne udviklingspunkter, hvis frist er overskredet",
    ),
    (
        "action list",
        "open",
        "Kun åbne udviklingspunkter (planlagt eller i gang)",
    ),
    ("action edit", "id", "Udviklingspunktets nummer"),
    ("action edit", "text", "Den nye tekst"),
    ("action edit", "owner", "Den nye ansvarlige"),
    (
        "action edit",
        "due",
        "Den nye frist: 31-03-2026 eller 2026-03-31",
    ),
    ("action edit", "no_due", "Fjerner fristen"),
    ("action edit", "plan", "Den nye handleplan, fx RM-02"),
    (
        "action edit",
        "local",
        "Gør det til et lokalt udviklingspunkt uden handleplan",
    ),
    (
        "action edit",
        "status",
        "planned eller in-progress (brug `action done` og `action drop` for at lukke det)",
    ),
    ("action done", "id", "Udviklingspunktets nummer"),
    ("action drop", "id", "Udviklingspunktets nummer"),
    ("action drop", "reason", "Hvorfor det opgives"),
    (
        "export",
        "format",
        "Formatet: json (udvekslingsfilen), csv, xlsx, html eller md",
    ),
    (
        "export",
        "facility",
        "Ét tilbuds vurderinger (med --year: det års)",
    ),
    (
        "export",
        "year",
        "Ét års vurderinger af alle tilbud (med --facility: det tilbuds)",
    ),
    ("export", "assessment", "Én vurdering"),
    (
        "export",
        "output",
        "Filen, der skrives; - for standardoutput (ikke for xlsx)",
    ),
    (
        "export",
        "shared",
        "Gør filen læsbar for alle maskinens brugere (0644); som standard kan kun du læse den (0600; på Windows bestemmer din profils mapper)",
    ),
    (
        "export",
        "excel",
        "CSV til dansk Excel: et byte-order-mark og ; mellem felterne",
    ),
    (
        "import",
        "files",
        "Udvekslingsfiler (fra `export --format json`)",
    ),
    (
        "import",
        "replace",
        "Hvor databasen har samme tilbud og år med andet indhold: tag filens, medmindre databasens er afsluttet (så afvises filen)",
    ),
    (
        "import",
        "replace_finalised",
        "Som --replace, og en afsluttet (underskrevet) vurdering erstattes også",
    ),
    (
        "import",
        "keep_both",
        "Hvor databasen har samme tilbud og år med andet indhold: behold begge",
    ),
    (
        "compare",
        "facility",
        "Ét tilbud over årene (dets nummer eller navn; name:12 for navnet \"12\")",
    ),
    ("compare", "year", "Tilbuddene i ét år"),
    (
        "compare",
        "trend",
        "Temaernes gennemsnit over udvalget, år for år",
    ),
    (
        "compare",
        "years",
        "Et interval af år, fx 2022..2026 (eller ét år)",
    ),
    (
        "compare",
        "facilities",
        "Med --year eller --trend: all, eller en kommasepareret liste af tilbud",
    ),
    (
        "compare",
        "organisation",
        "Med --year eller --trend: tilbuddene i én organisation eller region",
    ),
    (
        "compare",
        "model",
        "Modelversionen, hvis temaer sætter rammen [standard: den nyeste]",
    ),
    ("compare", "csv", "Skriv CSV"),
    (
        "compare",
        "format",
        "html: et varmekort og udviklingslinjer i én selvstændig fil",
    ),
    (
        "compare",
        "output",
        "Filen til --csv eller --format html (standard: standardoutput)",
    ),
    ("demo", "facilities", "Hvor mange tilbud"),
    ("demo", "years", "Hvor mange år"),
    (
        "demo",
        "from_year",
        "Det første år [standard: i år minus antallet af år]",
    ),
    (
        "demo",
        "seed",
        "Startværdien for tilfældighederne (samme giver samme data)",
    ),
    ("backup", "file", "Den nye fil (den må ikke findes)"),
    (
        "privacy",
        "set",
        "Sætter databasens politik: warn (gem, og advar) eller strict (afvis at gemme)",
    ),
    (
        "privacy",
        "facility",
        "Ét tilbuds vurderinger (med --year: det års)",
    ),
    (
        "privacy",
        "year",
        "Ét års vurderinger af alle tilbud (med --facility: det tilbuds)",
    ),
    ("privacy", "assessment", "Én vurdering"),
];
