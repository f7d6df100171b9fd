//! The two languages of the product: Chinese (zh-CN) by default, English when
//! the person's browser prefers it or the person chooses it.

use serde::{Deserialize, Serialize};

/// A language the product speaks. 语言
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    /// 简体中文, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// The BCP 47 tag, for `<html lang>` and `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Parses one language tag (`en-GB`, `zh-Hans-CN`, ...); other languages are not spoken.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Locale::Zh),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The first spoken language in a preference list, in order
    /// (`navigator.languages`), else Chinese.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Locale {
        tags.into_iter()
            .find_map(Locale::from_tag)
            .unwrap_or_default()
    }

    /// Negotiates from an HTTP `Accept-Language` header, honouring q-values:
    /// `fr, en;q=0.8, zh;q=0.5` gives English.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(u16, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::from_tag) else {
                continue;
            };
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                .unwrap_or(1000);
            if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, locale)| locale).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default() {
        assert_eq!(Locale::from_accept_language(""), Locale::Zh);
        assert_eq!(Locale::from_accept_language("fr-FR, de;q=0.9"), Locale::Zh);
        assert_eq!(Locale::from_preferences([]), Locale::Zh);
    }

    #[test]
    fn english_when_preferred() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9"), Locale::En);
        assert_eq!(
            Locale::from_accept_language("fr, en;q=0.8, zh;q=0.5"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("zh-CN;q=0.9, en;q=0.3"),
            Locale::Zh
        );
        assert_eq!(
            Locale::from_preferences(["de-DE", "en-GB", "zh-CN"]),
            Locale::En
        );
        assert_eq!(Locale::from_preferences(["zh-TW", "en"]), Locale::Zh);
    }

    #[test]
    fn a_zero_quality_is_a_refusal() {
        assert_eq!(Locale::from_accept_language("en;q=0, zh;q=0.1"), Locale::Zh);
    }
}
