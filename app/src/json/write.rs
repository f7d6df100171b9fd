//! Writing JSON in the browser: the same text serde_json's `to_string`
//! writes (compact; strings escaped as serde_json escapes them; floats
//! through the same `zmij` writer, non-finite ones as `null`; map keys as
//! strings), so the server and the stored workspaces read it as before.
//!
//! Why not serde_json's writer: its `serialize_field`, `serialize_element`
//! and `serialize_value` are inlined into every derived `Serialize`, a copy
//! per field of every type the client writes. Here they are not inlined
//! (`#[inline(never)]`), so there is one instance per type written
//! (BENCHMARKS.md, "First load").

use super::Error;
use serde::ser::{self, Impossible, Serialize, Serializer};

/// The JSON text of `value`, as `serde_json::to_string` writes it.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::new();
    value.serialize(Writer(&mut out))?;
    Ok(out)
}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

struct Writer<'a>(&'a mut String);

#[inline(never)]
fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xf)] as char);
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

#[inline(never)]
fn integer(out: &mut String, value: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(value));
}

#[inline(never)]
fn float(out: &mut String, value: f64, single: bool) {
    if !value.is_finite() {
        out.push_str("null");
    } else if single {
        out.push_str(zmij::Buffer::new().format_finite(value as f32));
    } else {
        out.push_str(zmij::Buffer::new().format_finite(value));
    }
}

/// Writes `{"variant":` for the externally tagged variants.
fn open_variant(out: &mut String, variant: &str) {
    out.push('{');
    string(out, variant);
    out.push(':');
}

impl<'a> Serializer for Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.0.push_str(if value { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        self.serialize_i64(value.into())
    }
    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        self.serialize_i64(value.into())
    }
    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        self.serialize_i64(value.into())
    }
    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        integer(self.0, value);
        Ok(())
    }
    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        integer(self.0, value);
        Ok(())
    }
    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        self.serialize_u64(value.into())
    }
    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        self.serialize_u64(value.into())
    }
    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        self.serialize_u64(value.into())
    }
    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        integer(self.0, value);
        Ok(())
    }
    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        integer(self.0, value);
        Ok(())
    }
    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        float(self.0, value.into(), true);
        Ok(())
    }
    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        float(self.0, value, false);
        Ok(())
    }
    fn serialize_char(self, value: char) -> Result<(), Error> {
        string(self.0, value.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, value: &str) -> Result<(), Error> {
        string(self.0, value);
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    #[inline(never)]
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.0.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    #[inline(never)]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    #[inline(never)]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        open_variant(self.0, variant);
        value.serialize(Writer(self.0))?;
        self.0.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self.0, "[", "]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        open_variant(self.0, variant);
        Ok(Compound::open(self.0, "[", "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self.0, "{", "}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        open_variant(self.0, variant);
        Ok(Compound::open(self.0, "{", "}}"))
    }
}

/// An array or object being written: its separator and its end.
pub struct Compound<'a> {
    out: &'a mut String,
    first: bool,
    close: &'static str,
}

impl<'a> Compound<'a> {
    fn open(out: &'a mut String, open: &str, close: &'static str) -> Self {
        out.push_str(open);
        Compound {
            out,
            first: true,
            close,
        }
    }

    fn separate(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.out.push(',');
        }
    }

    #[inline(never)]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.separate();
        value.serialize(Writer(self.out))
    }

    #[inline(never)]
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.separate();
        string(self.out, name);
        self.out.push(':');
        value.serialize(Writer(self.out))
    }

    fn close(self) -> Result<(), Error> {
        self.out.push_str(self.close);
        Ok(())
    }
}

/// serde's four kinds of arrays, all written by [`Compound::element`].
macro_rules! arrays {
    ($($kind:ident: $method:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

arrays! {
    SerializeSeq: serialize_element,
    SerializeTuple: serialize_element,
    SerializeTupleStruct: serialize_field,
    SerializeTupleVariant: serialize_field
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline(never)]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.separate();
        key.serialize(Key(self.out))?;
        self.out.push(':');
        Ok(())
    }
    #[inline(never)]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Writer(self.out))
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

/// serde's two kinds of objects with named fields, written by [`Compound::field`].
macro_rules! objects {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(name, value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

objects!(SerializeStruct, SerializeStructVariant);

/// A map's key: written as a string, as serde_json writes keys (numbers and
/// booleans quoted; anything else refused).
struct Key<'a>(&'a mut String);

impl Key<'_> {
    /// What a `Writer` writes for the value, in quotes.
    fn quoted(self, write: impl FnOnce(Writer) -> Result<(), Error>) -> Result<(), Error> {
        self.0.push('"');
        write(Writer(self.0))?;
        self.0.push('"');
        Ok(())
    }
}

fn not_a_key() -> Error {
    Error("key must be a string".into())
}

macro_rules! quoted_keys {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, value: $type) -> Result<(), Error> {
            self.quoted(|writer| writer.$method(value))
        }
    )*};
}

impl Serializer for Key<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    quoted_keys! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        if !value.is_finite() {
            return Err(not_a_key());
        }
        self.quoted(|writer| writer.serialize_f32(value))
    }
    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        if !value.is_finite() {
            return Err(not_a_key());
        }
        self.quoted(|writer| writer.serialize_f64(value))
    }
    fn serialize_char(self, value: char) -> Result<(), Error> {
        Writer(self.0).serialize_char(value)
    }
    fn serialize_str(self, value: &str) -> Result<(), Error> {
        Writer(self.0).serialize_str(value)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        Writer(self.0).serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bytes(self, _value: &[u8]) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_a_key())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_key())
    }
}

#[cfg(test)]
mod tests {
    use super::to_string;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Plain,
        Wrapped(u32),
        Pair(u8, i8),
        Fields { x: i32, y: Option<String> },
    }

    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Tagged {
        One { n: u64 },
        Two,
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Everything {
        text: String,
        chars: Vec<char>,
        numbers: (i8, i16, i32, i64, i128, u8, u16, u32, u64, u128),
        floats: Vec<f64>,
        single: Vec<f32>,
        flags: [bool; 2],
        nothing: Option<u8>,
        unit: (),
        unit_struct: Unit,
        shapes: Vec<Shape>,
        tagged: Vec<Tagged>,
        by_number: BTreeMap<i32, String>,
        by_flag: BTreeMap<bool, u8>,
        by_char: BTreeMap<char, u8>,
        bytes: serde_bytes_like::Bytes,
        empty: Vec<Vec<u8>>,
        empty_map: BTreeMap<String, u8>,
    }

    mod serde_bytes_like {
        /// Written through `serialize_bytes`.
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    fn same<T: Serialize>(value: &T) {
        assert_eq!(
            to_string(value).unwrap(),
            serde_json::to_string(value).unwrap()
        );
    }

    /// Every shape serde can ask for is written as serde_json writes it.
    #[test]
    fn writes_what_serde_json_writes() {
        same(&Everything {
            text: "引号\"反斜杠\\ 换行\n回车\r制表\t\u{8}\u{c}\u{1}\u{1f}\u{7f} é 😀".into(),
            chars: vec!['a', '"', '\n', '\u{0}', '承'],
            numbers: (
                i8::MIN,
                i16::MIN,
                i32::MIN,
                i64::MIN,
                i128::MIN,
                u8::MAX,
                u16::MAX,
                u32::MAX,
                u64::MAX,
                u128::MAX,
            ),
            floats: vec![
                0.0,
                -0.0,
                1.5,
                92.5,
                1e300,
                5e-324,
                f64::NAN,
                f64::INFINITY,
                0.1,
            ],
            single: vec![0.1, 3.4e38, f32::NEG_INFINITY],
            flags: [true, false],
            nothing: None,
            unit: (),
            unit_struct: Unit,
            shapes: vec![
                Shape::Plain,
                Shape::Wrapped(7),
                Shape::Pair(1, -2),
                Shape::Fields {
                    x: -3,
                    y: Some("y".into()),
                },
            ],
            tagged: vec![Tagged::One { n: 1 }, Tagged::Two],
            by_number: BTreeMap::from([(-1, "a".into()), (20, "b".into())]),
            by_flag: BTreeMap::from([(false, 0), (true, 1)]),
            by_char: BTreeMap::from([('"', 1)]),
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            empty: vec![vec![]],
            empty_map: BTreeMap::new(),
        });
    }

    /// A map keyed by something that is not a string or number is refused,
    /// as serde_json refuses it.
    #[test]
    fn keys_that_are_not_strings_are_refused() {
        let map = BTreeMap::from([(vec![1u8], 1u8)]);
        assert!(to_string(&map).is_err());
        assert!(serde_json::to_string(&map).is_err());
        let map = BTreeMap::from([(Some(1u8), 1u8)]);
        assert!(to_string(&map).is_err());
    }

    proptest! {
        #[test]
        fn any_text_numbers_and_maps_write_as_serde_json_writes(
            texts in proptest::collection::vec(any::<String>(), 0..4),
            numbers in proptest::collection::vec(any::<i64>(), 0..4),
            floats in proptest::collection::vec(any::<f64>(), 0..4),
            map in proptest::collection::btree_map(any::<String>(), any::<Option<u32>>(), 0..4),
        ) {
            prop_assert_eq!(
                to_string(&(&texts, &numbers, &floats, &map)).unwrap(),
                serde_json::to_string(&(&texts, &numbers, &floats, &map)).unwrap()
            );
        }
    }
}
