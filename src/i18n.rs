//! The user's language and the number and date formats that go with it.
//! Danish is the default; English is chosen with `--lang en`.

use clap::ValueEnum;

/// The language the user interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    /// Dansk
    #[default]
    Da,
    /// English
    En,
}

impl Lang {
    /// Picks the Danish or the English text.
    pub fn pick<'a>(self, da: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Da => da,
            Lang::En => en,
        }
    }

    /// A number with one decimal, with the decimal comma in Danish ("3,5").
    pub fn decimal(self, value: f64) -> String {
        let s = format!("{value:.1}");
        match self {
            Lang::Da => s.replace('.', ","),
            Lang::En => s,
        }
    }

    /// An optional mean, or a dash where there is none.
    pub fn mean(self, value: Option<f64>) -> String {
        value.map_or_else(|| "–".to_string(), |v| self.decimal(v))
    }

    /// A calendar date: 25-11-2026 in Danish, 2026-11-25 in English.
    pub fn date(self, date: chrono::NaiveDate) -> String {
        match self {
            Lang::Da => date.format("%d-%m-%Y").to_string(),
            Lang::En => date.format("%Y-%m-%d").to_string(),
        }
    }

    /// A timestamp in local time, minutes precision.
    pub fn timestamp(self, at: chrono::DateTime<chrono::Utc>) -> String {
        let local = at.with_timezone(&chrono::Local);
        match self {
            Lang::Da => local.format("%d-%m-%Y %H:%M").to_string(),
            Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

/// Picks the Danish or English text, with `format!` arguments: `tr!(lang, "Tema {n}", "Theme {n}")`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $da:literal, $en:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::Da => format!($da),
            $crate::i18n::Lang::En => format!($en),
        }
    };
    ($lang:expr, $da:literal, $en:literal, $($arg:tt)+) => {
        match $lang {
            $crate::i18n::Lang::Da => format!($da, $($arg)+),
            $crate::i18n::Lang::En => format!($en, $($arg)+),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_uses_decimal_comma_and_day_first_dates() {
        assert_eq!(Lang::Da.decimal(3.25), "3,2");
        assert_eq!(Lang::En.decimal(3.5), "3.5");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(Lang::Da.date(d), "25-11-2026");
        assert_eq!(Lang::En.date(d), "2026-11-25");
        assert_eq!(Lang::Da.mean(None), "–");
    }
}
