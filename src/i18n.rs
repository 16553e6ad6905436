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

    /// A number with one decimal (rounded by `round1`), with the decimal comma in Danish ("3,5").
    pub fn decimal(self, value: f64) -> String {
        let s = format!("{:.1}", round1(value));
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

/// A mean as every face shows it: one decimal, half away from zero (2.25 → 2.3, 2.958 →
/// 3.0). The one rounding of the program: thresholds are applied to this value, so a value
/// shown as 3,0 is never "under 3,0". A tiny nudge absorbs the binary error of means such
/// as 2.45 that are stored just below their decimal value.
pub fn round1(value: f64) -> f64 {
    let nudge = 1e-9_f64.copysign(value);
    ((value * 10.0) + nudge).round() / 10.0
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
        assert_eq!(Lang::Da.decimal(3.25), "3,3");
        assert_eq!(Lang::En.decimal(3.5), "3.5");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(Lang::Da.date(d), "25-11-2026");
        assert_eq!(Lang::En.date(d), "2026-11-25");
        assert_eq!(Lang::Da.mean(None), "–");
    }

    #[test]
    fn one_rounding_half_away_from_zero() {
        assert_eq!(round1(2.958), 3.0);
        assert_eq!(round1(2.25), 2.3);
        assert_eq!(round1(2.45), 2.5);
        assert_eq!(round1((2.9 + 2.0) / 2.0), 2.5);
        assert_eq!(round1(-1.25), -1.3);
        assert_eq!(round1(3.549), 3.5);
        assert_eq!(Lang::En.decimal(2.958), "3.0");
    }
}
