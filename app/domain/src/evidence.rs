//! Evidence (佐证材料) attached to ledger entries: photos and PDFs, named by
//! the SHA-256 of their content so that a retried upload is stored once,
//! and accepted by what their bytes are, never by their name.
//!
//! The limits, the same on the phone and on the server:
//! - JPEG, PNG, WebP or PDF only (checked on the first bytes);
//! - each file at most [`MAX_FILE_BYTES`] (5 MB) as stored: photos are
//!   scaled on the phone first, longest side [`PHOTO_LONGEST_SIDE`] px,
//!   JPEG, so a 12-megapixel photo becomes a few hundred KB;
//! - at most [`MAX_FILES_PER_ENTRY`] files on one ledger entry;
//! - at most [`MAX_BYTES_PER_COMMITMENT`] (100 MB) over all the files of one
//!   commitment: about 300 scaled photos, more than a year of weekly entries
//!   with a photo each; a file already counted is not counted again.

use crate::messages::{Message, ValidationErrors};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
pub const MAX_BYTES_PER_COMMITMENT: u64 = 100 * 1024 * 1024;
pub const MAX_FILES_PER_ENTRY: usize = 6;
pub const PHOTO_LONGEST_SIDE: u32 = 1600;
/// JPEG quality of a scaled photo (0–1).
pub const PHOTO_QUALITY: f64 = 0.82;
const MAX_NAME: usize = 120;

/// What a file is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum EvidenceKind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

read_by_name!(EvidenceKind {
    Jpeg,
    Png,
    Webp,
    Pdf
});

impl EvidenceKind {
    /// The kind the bytes are, if it is one taken.
    pub fn sniff(bytes: &[u8]) -> Option<EvidenceKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(EvidenceKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(EvidenceKind::Png)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(EvidenceKind::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(EvidenceKind::Pdf)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            EvidenceKind::Jpeg => "image/jpeg",
            EvidenceKind::Png => "image/png",
            EvidenceKind::Webp => "image/webp",
            EvidenceKind::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            EvidenceKind::Jpeg => "jpg",
            EvidenceKind::Png => "png",
            EvidenceKind::Webp => "webp",
            EvidenceKind::Pdf => "pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != EvidenceKind::Pdf
    }
}

/// The lowercase hex SHA-256 of a file's bytes: its name everywhere.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit((byte >> 4) as u32, 16).unwrap_or('0'));
        hex.push(char::from_digit((byte & 0xF) as u32, 16).unwrap_or('0'));
    }
    hex
}

/// Whether `text` is a content hash as [`content_hash`] writes them.
pub fn is_content_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A file attached to a ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// [`content_hash`] of the bytes.
    pub hash: String,
    pub kind: EvidenceKind,
    /// Bytes (a count as the API takes counts: whole, at most 2^53 − 1).
    #[serde(deserialize_with = "crate::sync::count")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 9007199254740991_f64)
    )]
    pub size: u64,
    /// The name the person's file had (shown, never trusted).
    #[serde(default)]
    pub name: String,
}

/// A file's bytes, checked as the server takes them: its hash is `hash`,
/// it is a kind taken, and not too large.
pub fn check_file(hash: &str, bytes: &[u8]) -> Result<EvidenceKind, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        errors.push(
            "file",
            Message::FileTooLarge {
                max: (MAX_FILE_BYTES / (1024 * 1024)) as usize,
            },
        );
        return Err(errors);
    }
    let Some(kind) = EvidenceKind::sniff(bytes) else {
        errors.push("file", Message::FileKindNotTaken);
        return Err(errors);
    };
    if content_hash(bytes) != hash {
        errors.push("file", Message::FileDamaged);
        return Err(errors);
    }
    Ok(kind)
}

/// The files of one entry as sent: a few, each named by a hash, of a kind
/// taken, not too large.
pub fn check_attached(files: &[Evidence]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if files.len() > MAX_FILES_PER_ENTRY {
        errors.push(
            "evidence",
            Message::TooManyFiles {
                max: MAX_FILES_PER_ENTRY,
            },
        );
    }
    for (n, file) in files.iter().enumerate() {
        if !is_content_hash(&file.hash) {
            errors.push(format!("evidence[{n}]"), Message::FileDamaged);
        } else if file.size > MAX_FILE_BYTES {
            errors.push(
                format!("evidence[{n}]"),
                Message::FileTooLarge {
                    max: (MAX_FILE_BYTES / (1024 * 1024)) as usize,
                },
            );
        } else if file.name.chars().count() > MAX_NAME {
            errors.push(
                format!("evidence[{n}].name"),
                Message::TooLong { max: MAX_NAME },
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether one more file of `size` bytes fits a commitment already holding
/// `held` bytes of evidence.
pub fn fits_commitment(held: u64, size: u64) -> Result<(), ValidationErrors> {
    if held.saturating_add(size) > MAX_BYTES_PER_COMMITMENT {
        let mut errors = ValidationErrors::default();
        errors.push(
            "file",
            Message::CommitmentFilesFull {
                max: (MAX_BYTES_PER_COMMITMENT / (1024 * 1024)) as usize,
            },
        );
        return Err(errors);
    }
    Ok(())
}

/// The message of a file refusal, from its code in the server's answer
/// (the limits are these constants on both sides).
pub fn refusal_message(code: &str) -> Option<Message> {
    Some(match code {
        "file_too_large" => Message::FileTooLarge {
            max: (MAX_FILE_BYTES / (1024 * 1024)) as usize,
        },
        "file_kind_not_taken" => Message::FileKindNotTaken,
        "file_damaged" => Message::FileDamaged,
        "commitment_files_full" => Message::CommitmentFilesFull {
            max: (MAX_BYTES_PER_COMMITMENT / (1024 * 1024)) as usize,
        },
        _ => return None,
    })
}

/// The size a photo of `width` × `height` is scaled to: longest side at
/// most [`PHOTO_LONGEST_SIDE`], proportions kept, never enlarged.
pub fn scaled_size(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= PHOTO_LONGEST_SIDE || longest == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        ((side as u64 * PHOTO_LONGEST_SIDE as u64 + longest as u64 / 2) / longest as u64).max(1)
            as u32
    };
    (scale(width), scale(height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn files_are_taken_by_what_their_bytes_are() {
        assert_eq!(
            EvidenceKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(EvidenceKind::Jpeg)
        );
        assert_eq!(
            EvidenceKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(EvidenceKind::Png)
        );
        assert_eq!(
            EvidenceKind::sniff(b"RIFF\x24\0\0\0WEBPVP8 "),
            Some(EvidenceKind::Webp)
        );
        assert_eq!(EvidenceKind::sniff(b"%PDF-1.7\n"), Some(EvidenceKind::Pdf));
        // An HTML page named photo.jpg, a GIF, an executable, nothing.
        assert_eq!(EvidenceKind::sniff(b"<html><script>"), None);
        assert_eq!(EvidenceKind::sniff(b"GIF89a"), None);
        assert_eq!(EvidenceKind::sniff(b"MZ\x90\0"), None);
        assert_eq!(EvidenceKind::sniff(b""), None);
        assert_eq!(EvidenceKind::sniff(b"RIFF\0\0\0\0WAVE"), None);
    }

    #[test]
    fn a_file_is_checked_against_its_hash_kind_and_size() {
        let pdf = b"%PDF-1.4 a small report".to_vec();
        let hash = content_hash(&pdf);
        assert!(is_content_hash(&hash));
        assert_eq!(check_file(&hash, &pdf), Ok(EvidenceKind::Pdf));
        let code = |r: Result<EvidenceKind, ValidationErrors>| r.unwrap_err().0[0].message.code();
        assert_eq!(
            code(check_file(&content_hash(b"hello"), b"hello")),
            "file_kind_not_taken"
        );
        assert_eq!(code(check_file(&"0".repeat(64), &pdf)), "file_damaged");
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_FILE_BYTES as usize + 1, b' ');
        assert_eq!(
            code(check_file(&content_hash(&big), &big)),
            "file_too_large"
        );
    }

    #[test]
    fn the_hash_is_sha256_in_lowercase_hex() {
        // The empty string's SHA-256, as every tool writes it.
        assert_eq!(
            content_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(!is_content_hash(
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        ));
        assert!(!is_content_hash("../../etc/passwd"));
    }

    #[test]
    fn an_entry_holds_a_few_files_and_a_commitment_a_bounded_total() {
        let file = |n: u8| Evidence {
            hash: content_hash(&[n]),
            kind: EvidenceKind::Jpeg,
            size: 300_000,
            name: format!("IMG_{n}.jpg"),
        };
        let six: Vec<Evidence> = (0..6).map(file).collect();
        assert_eq!(check_attached(&six), Ok(()));
        let seven: Vec<Evidence> = (0..7).map(file).collect();
        assert_eq!(
            check_attached(&seven).unwrap_err().0[0].message.code(),
            "too_many_files"
        );
        let mut forged = file(1);
        forged.hash = "../secret".into();
        assert!(check_attached(&[forged]).is_err());
        assert_eq!(fits_commitment(MAX_BYTES_PER_COMMITMENT - 10, 10), Ok(()));
        assert_eq!(
            fits_commitment(MAX_BYTES_PER_COMMITMENT - 10, 11)
                .unwrap_err()
                .0[0]
                .message
                .code(),
            "commitment_files_full"
        );
    }

    #[test]
    fn a_file_refusal_reads_back_from_its_code() {
        for message in [
            Message::FileKindNotTaken,
            Message::FileDamaged,
            Message::FileTooLarge { max: 5 },
            Message::CommitmentFilesFull { max: 100 },
        ] {
            assert_eq!(refusal_message(message.code()), Some(message));
        }
        assert_eq!(refusal_message("forbidden"), None);
    }

    #[test]
    fn a_twelve_megapixel_photo_is_scaled_to_1600_on_its_longest_side() {
        assert_eq!(scaled_size(4000, 3000), (1600, 1200));
        assert_eq!(scaled_size(3000, 4000), (1200, 1600));
        assert_eq!(scaled_size(1200, 800), (1200, 800));
        assert_eq!(scaled_size(20000, 10), (1600, 1));
    }

    proptest! {
        #[test]
        fn scaling_keeps_the_longest_side_within_bounds_and_never_enlarges(w in 1u32..20_000, h in 1u32..20_000) {
            let (sw, sh) = scaled_size(w, h);
            prop_assert!(sw.max(sh) <= PHOTO_LONGEST_SIDE.max(w.max(h).min(PHOTO_LONGEST_SIDE)));
            prop_assert!(sw <= w && sh <= h);
            prop_assert!(sw >= 1 && sh >= 1);
            if w.max(h) > PHOTO_LONGEST_SIDE {
                prop_assert_eq!(sw.max(sh), PHOTO_LONGEST_SIDE);
            }
        }
    }
}
