//! Days (`2026-12-01`) and instants (RFC 3339) on the wire and in browser
//! storage, read without chrono's general parser (`parse_internal`, which
//! its `Deserialize` impls use and which would weigh on every phone's first
//! load): days by the domain's own date reader, instants by chrono's strict
//! RFC 3339 reader. Written as chrono writes them. Every `NaiveDate` field of
//! a type that is read back names [`de`] (or [`de_option`] with `default`),
//! every `DateTime<Utc>` one [`de_instant`] (or [`de_instant_option`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{Error, Unexpected};
use serde::{Deserialize, Deserializer};

fn read<E: Error>(text: &str) -> Result<NaiveDate, E> {
    crate::validation::parse_date(text)
        .ok_or_else(|| E::invalid_value(Unexpected::Str(text), &"a date written YYYY-MM-DD"))
}

pub fn de<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    read(&String::deserialize(deserializer)?)
}

pub fn de_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| read(&text))
        .transpose()
}

/// An RFC 3339 time (none if it is not one).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn instant<E: Error>(text: &str) -> Result<DateTime<Utc>, E> {
    parse_instant(text).ok_or_else(|| E::invalid_value(Unexpected::Str(text), &"an RFC 3339 time"))
}

pub fn de_instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    instant(&String::deserialize(deserializer)?)
}

pub fn de_instant_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| instant(&text))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, PartialEq, Deserialize, serde::Serialize)]
    struct Dated {
        #[serde(deserialize_with = "de")]
        day: NaiveDate,
        #[serde(default, deserialize_with = "de_option")]
        maybe: Option<NaiveDate>,
    }

    proptest! {
        /// What chrono writes reads back, exactly as chrono would read it.
        #[test]
        fn days_read_back_as_written(days in 0i64..60_000) {
            let day = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(days);
            let dated = Dated { day, maybe: Some(day) };
            let json = serde_json::to_string(&dated).unwrap();
            prop_assert_eq!(serde_json::from_str::<Dated>(&json).unwrap(), dated);
            prop_assert_eq!(crate::validation::parse_date(&day.to_string()), day.to_string().parse().ok());
        }
    }

    #[derive(Debug, PartialEq, Deserialize, serde::Serialize)]
    struct Timed {
        #[serde(deserialize_with = "de_instant")]
        at: DateTime<Utc>,
        #[serde(default, deserialize_with = "de_instant_option")]
        maybe: Option<DateTime<Utc>>,
    }

    proptest! {
        /// Instants as chrono writes them (to the nanosecond) read back.
        #[test]
        fn instants_read_back_as_written(seconds in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000) {
            let at = DateTime::from_timestamp(seconds, nanos).unwrap();
            let timed = Timed { at, maybe: Some(at) };
            let json = serde_json::to_string(&timed).unwrap();
            prop_assert_eq!(serde_json::from_str::<Timed>(&json).unwrap(), timed);
            let rfc = serde_json::to_string(&Timed { at: at.with_timezone(&Utc), maybe: None }).unwrap();
            prop_assert!(serde_json::from_str::<Timed>(&rfc.replace('Z', "+00:00")).is_ok());
        }
    }

    #[test]
    fn no_date_is_no_date() {
        assert_eq!(
            serde_json::from_str::<Dated>(r#"{"day":"2026-12-01"}"#)
                .unwrap()
                .maybe,
            None
        );
        assert!(serde_json::from_str::<Dated>(r#"{"day":"2026-02-30"}"#).is_err());
        assert!(serde_json::from_str::<Dated>(r#"{"day":"tomorrow"}"#).is_err());
        assert!(serde_json::from_str::<Dated>(r#"{"day":"2026-12-01","maybe":null}"#).is_ok());
    }
}
