//! `--help` in the user's language. Clap builds the help from the doc comments, which are
//! English; for Danish (the default) the built command gets the texts of `help_da.rs`, its
//! headings and clap's own words (`Usage:`, `[default: …]`). The language comes from a look
//! at the arguments and the environment ahead of parsing. A command line is parsed first
//! without any texts (they change no rule): only where that fails — help, `--version`, a
//! usage error — is it parsed again with the texts of the language, which then speak.

use super::Cli;
use super::help_da::{ABOUT, ARGS, COMMON};
use crate::i18n::Lang;
use clap::{Arg, Command, CommandFactory, FromArgMatches};
use std::ffi::OsString;

/// Parses the program's arguments, with help and usage in the language they ask for;
/// prints help or a usage error and exits where clap would.
pub fn parse() -> Cli {
    // the texts only show in help and in errors: a command line that parses needs none,
    // so it is parsed as it is first, and only help or an error pays for the translation
    if let Ok(cli) = parse_plain(std::env::args_os()) {
        return cli;
    }
    let lang = lang_asked(std::env::args_os(), std::env::var("TILSYNSKLAR_LANG").ok());
    parse_from(std::env::args_os(), lang).unwrap_or_else(|e| {
        use clap::error::ErrorKind;
        if lang == Lang::En
            || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        {
            e.exit()
        }
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            usage_error_da(&e.render().to_string()).as_bytes(),
        );
        std::process::exit(e.exit_code())
    })
}

/// Clap's words in a usage error, in Danish; what the user typed stays as it was.
const ERROR_WORDS: &[(&str, &str)] = &[
    (
        "error: the following required arguments were not provided:",
        "fejl: disse påkrævede argumenter mangler:",
    ),
    ("error: unexpected argument", "fejl: uventet argument"),
    (
        "error: unrecognized subcommand",
        "fejl: ukendt underkommando",
    ),
    ("error: invalid value", "fejl: ugyldig værdi"),
    (
        "error: a value is required for",
        "fejl: der kræves en værdi til",
    ),
    ("but none was supplied", "men ingen blev givet"),
    ("cannot be used with", "kan ikke bruges sammen med"),
    ("error: the argument", "fejl: argumentet"),
    ("error: ", "fejl: "),
    (" found", ""),
    (" for '", " til '"),
    ("[possible values:", "[mulige værdier:"),
    (
        "tip: a similar argument exists:",
        "tip: der findes et lignende argument:",
    ),
    (
        "tip: a similar subcommand exists:",
        "tip: der findes en lignende underkommando:",
    ),
    (
        "tip: some similar arguments exist:",
        "tip: der findes lignende argumenter:",
    ),
    ("tip: to pass", "tip: for at give"),
    ("as a value, use", "som værdi, skriv"),
    ("Usage:", "Brug:"),
    (
        "For more information, try '--help'.",
        "Mere hjælp: '--help'.",
    ),
];

/// A usage error of clap's in Danish words.
fn usage_error_da(text: &str) -> String {
    ERROR_WORDS
        .iter()
        .fold(text.to_string(), |t, (en, da)| t.replace(en, da))
}

/// Parses `args` against the command as built from its doc comments, without the texts
/// of either language: what parses this way parses the same with them (the translation
/// changes texts only, never a name, a value or a rule).
fn parse_plain<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = Cli::command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// Parses `args` with the help in `lang`.
pub fn parse_from<I, T>(args: I, lang: Lang) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command(lang).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// The language the arguments (`--lang en`, `--lang=en`) or else the environment ask for;
/// Danish where neither says, or what they say is not a language.
pub fn lang_asked<I, T>(args: I, env: Option<String>) -> Lang
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.into().to_string_lossy().into_owned())
        .collect();
    let mut given = None;
    for (i, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            given = args.get(i + 1).cloned();
        } else if let Some(v) = a.strip_prefix("--lang=") {
            given = Some(v.to_string());
        }
    }
    match given.or(env).as_deref().map(str::trim) {
        Some("en") => Lang::En,
        _ => Lang::Da,
    }
}

/// The whole command line, built, with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    cmd.build();
    if lang == Lang::Da {
        danish(&mut cmd, "");
    }
    cmd
}

/// The path whose texts a command takes: `help`'s copies of the commands ("help model
/// list", "model help list") are the commands themselves.
fn text_path(path: &str) -> String {
    let words: Vec<&str> = path.split_whitespace().collect();
    if words.last() == Some(&"help") {
        return "help".to_string();
    }
    words
        .into_iter()
        .filter(|w| *w != "help")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Danish description of the command at `path`.
pub fn about_da(path: &str) -> Option<&'static str> {
    let path = text_path(path);
    ABOUT.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// The Danish help of argument `id` of the command at `path`.
pub fn arg_da(path: &str, id: &str) -> Option<&'static str> {
    let path = text_path(path);
    ARGS.iter()
        .find(|(p, i, _)| *p == path && *i == id)
        .map(|(_, _, t)| *t)
        .or_else(|| COMMON.iter().find(|(i, _)| *i == id).map(|(_, t)| *t))
}

/// Gives the command at `path` and everything under it its Danish texts.
fn danish(cmd: &mut Command, path: &str) {
    let mut c = std::mem::take(cmd);
    if let Some(about) = about_da(path) {
        c = c.about(about).long_about(None::<&'static str>);
    }
    let p = path.to_string();
    c = c.mut_args(|a| danish_arg(a, &p));
    c = c.subcommand_value_name("KOMMANDO");
    // clap writes "[OPTIONS]" into the usage it builds: the same usage, in Danish words
    let usage = c.render_usage().to_string();
    let usage = usage
        .trim_start()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[TILVALG]");
    let template = template(&c);
    c = c.help_template(template).override_usage(usage);
    for sub in c.get_subcommands_mut() {
        let sub_path = format!("{path} {}", sub.get_name());
        danish(sub, sub_path.trim());
    }
    *cmd = c;
}

/// One argument in Danish: its help, and clap's bracketed notes in Danish words.
fn danish_arg(a: Arg, path: &str) -> Arg {
    let mut text = arg_da(path, a.get_id().as_str())
        .unwrap_or_default()
        .to_string();
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    // a flag's possible values are true and false: nothing to tell
    let flag = !a.get_action().takes_values();
    if !values.is_empty() && !flag {
        text.push_str(&format!(" [mulige værdier: {}]", values.join(", ")));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !flag && !a.is_hide_default_value_set() {
        text.push_str(&format!(" [standard: {}]", defaults.join(",")));
    }
    if let Some(env) = a.get_env().filter(|_| !a.is_hide_env_set()) {
        text.push_str(&format!(" [miljøvariabel: {}]", env.to_string_lossy()));
    }
    a.help(text)
        .long_help(None::<&'static str>)
        .hide_possible_values(true)
        .hide_default_value(true)
        .hide_env(true)
}

/// The help's layout with Danish headings, each section only where the command has it.
fn template(c: &Command) -> String {
    let styles = c.get_styles();
    let h = |s: &str| {
        let st = styles.get_header();
        format!("{}{s}{}", st.render(), st.render_reset())
    };
    let u = styles.get_usage();
    let mut t = format!(
        "{{before-help}}{{about-with-newline}}\n{}Brug:{} {{usage}}\n",
        u.render(),
        u.render_reset()
    );
    let shown = |a: &&Arg| !a.is_hide_set();
    if c.get_subcommands().any(|s| !s.is_hide_set()) {
        t.push_str(&format!("\n{}\n{{subcommands}}\n", h("Kommandoer:")));
    }
    if c.get_positionals().any(|a| shown(&a)) {
        t.push_str(&format!("\n{}\n{{positionals}}\n", h("Argumenter:")));
    }
    if c.get_arguments().filter(shown).any(|a| !a.is_positional()) {
        t.push_str(&format!("\n{}\n{{options}}\n", h("Tilvalg:")));
    }
    t.push_str("{after-help}");
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command of the tree and its path.
    fn walk<'a>(c: &'a Command, path: String, out: &mut Vec<(String, &'a Command)>) {
        for s in c.get_subcommands() {
            walk(
                s,
                format!("{path} {}", s.get_name()).trim().to_string(),
                out,
            );
        }
        out.push((path, c));
    }

    #[test]
    fn every_command_and_every_argument_has_a_danish_help_text() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut all = Vec::new();
        walk(&cmd, String::new(), &mut all);
        let mut missing = Vec::new();
        for (path, c) in &all {
            if about_da(path).is_none() {
                missing.push(format!("command {path:?}"));
            }
            for a in c.get_arguments().filter(|a| !a.is_hide_set()) {
                if arg_da(path, a.get_id().as_str()).is_none_or(str::is_empty) {
                    missing.push(format!("{path:?} argument {}", a.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "no Danish help text for: {missing:#?}");
    }

    #[test]
    fn every_danish_text_belongs_to_a_command_or_argument_that_exists() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut all = Vec::new();
        walk(&cmd, String::new(), &mut all);
        for (p, _) in ABOUT {
            assert!(all.iter().any(|(q, _)| q == p), "no command {p:?}");
        }
        for (p, id, _) in ARGS {
            let found = all
                .iter()
                .any(|(q, c)| q == p && c.get_arguments().any(|a| a.get_id() == id));
            assert!(found, "no argument {id} in {p:?}");
        }
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        let l = |args: &[&str], env: Option<&str>| {
            lang_asked(args.iter().copied(), env.map(String::from))
        };
        assert_eq!(l(&["tk", "--help"], None), Lang::Da);
        assert_eq!(l(&["tk", "--lang", "en", "--help"], None), Lang::En);
        assert_eq!(l(&["tk", "import", "--lang=en", "-h"], None), Lang::En);
        assert_eq!(l(&["tk", "--help"], Some("en")), Lang::En);
        // the arguments win over the environment
        assert_eq!(l(&["tk", "--lang", "da"], Some("en")), Lang::Da);
        // after -- it is a file name, not the language
        assert_eq!(l(&["tk", "import", "--", "--lang=en"], None), Lang::Da);
    }

    #[test]
    fn usage_errors_come_in_danish_words_around_what_was_typed() {
        let e = parse_from(["tilsynsklar", "import", "--nope", "a.json"], Lang::Da).unwrap_err();
        let da = usage_error_da(&e.render().to_string());
        assert!(da.starts_with("fejl: uventet argument '--nope'\n"), "{da}");
        assert!(
            da.contains("Brug: tilsynsklar import [TILVALG] <FILES>..."),
            "{da}"
        );
        assert!(da.trim_end().ends_with("Mere hjælp: '--help'."), "{da}");
        let e = parse_from(["tilsynsklar", "--lang", "xx"], Lang::Da).unwrap_err();
        let da = usage_error_da(&e.render().to_string());
        assert!(
            da.starts_with("fejl: ugyldig værdi 'xx' til '--lang <LANG>'"),
            "{da}"
        );
        assert!(da.contains("[mulige værdier: da, en]"), "{da}");
    }

    #[test]
    fn the_danish_command_line_parses_as_the_english_one() {
        let argv = ["tilsynsklar", "import", "--replace", "a.json"];
        let da = parse_from(argv, Lang::Da).unwrap();
        let en = parse_from(argv, Lang::En).unwrap();
        assert_eq!(format!("{da:?}"), format!("{en:?}"));
        let help = command(Lang::Da)
            .find_subcommand_mut("import")
            .unwrap()
            .render_help()
            .to_string();
        assert!(help.contains("Brug: tilsynsklar import"), "{help}");
        assert!(help.contains("Som --replace, og en afsluttet"), "{help}");
        assert!(!help.contains("Usage:"), "{help}");
    }

    #[test]
    fn the_plain_parse_takes_and_refuses_what_the_translated_ones_do() {
        let lines: &[&[&str]] = &[
            &["import", "--replace", "a.json"],
            &[
                "score", "set", "-f", "Bakken", "-i", "2b", "-v", "3", "-r", "ok",
            ],
            &[
                "--lang", "en", "export", "--format", "csv", "--all", "--output", "-",
            ],
            &["score", "set", "-f", "Bakken", "-i", "2b", "-v"],
            &["export", "--format", "docx"],
            &["nosuch"],
            &["--help"],
            &["score", "--help"],
            &["--version"],
            &[],
        ];
        for line in lines {
            let argv: Vec<&str> = std::iter::once("tilsynsklar")
                .chain(line.iter().copied())
                .collect();
            let plain = parse_plain(&argv);
            for lang in [Lang::Da, Lang::En] {
                match (&plain, parse_from(&argv, lang)) {
                    (Ok(p), Ok(t)) => assert_eq!(format!("{p:?}"), format!("{t:?}"), "{line:?}"),
                    (Err(p), Err(t)) => assert_eq!(p.kind(), t.kind(), "{line:?}"),
                    (p, t) => panic!("{line:?}: plain {:?}, {lang:?} {:?}", p.is_ok(), t.is_ok()),
                }
            }
        }
        assert!(
            parse_plain(["tilsynsklar", "--help"]).is_err(),
            "help is shown by the translated command"
        );
    }
}
