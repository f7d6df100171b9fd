//! JSON in the browser. Reading: the text is parsed once into a tree
//! ([`Node`], strings borrowed from the text where they have no escapes),
//! and serde's derived readers read from the tree. Writing: [`to_string`]
//! and [`store`] (the `write` module), serde_json's own text.
//!
//! Why not serde_json's reader, which the server uses: it parses while
//! serde's derived code asks, so its parsing is compiled again for every
//! type the client reads (each `deserialize_map`, `next_value_seed` and
//! `deserialize_seq` instance carries it). All JSON reading was 52 KB brotli
//! of the first load that way; here each type's reader only matches on a
//! node, and the one parser is compiled once (BENCHMARKS.md, "First load").
//!
//! What is read is what serde_json reads, with one difference kept from the
//! adapter this replaced: a struct is read from a JSON object only, never
//! from an array (serde's derived `visit_seq` of every struct is then not in
//! the client; nothing here writes a struct as an array). Numbers: an integer
//! is read as serde_json reads it (`u64`, or `i64` when negative, beyond them
//! a float); a float with at most 15 significant digits and an exponent of
//! at most 22 is exact (the timestamps and scores the client reads), beyond
//! that it is within a unit or two of the last place. Nesting deeper than 128
//! is refused, as serde_json does.
//!
//! The `#[inline(never)]` on the reading methods is deliberate (−5.4 KB
//! brotli of the first load, measured): serde's derived readers call
//! `next_value::<String>()` and the like once per field, and an inlined
//! instance was a copy in every struct's reader; not inlined, there is one
//! per type read.

use gloo_storage::{LocalStorage, Storage};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::borrow::Cow;
use std::fmt;

mod write;
pub use write::to_string;

/// Reads a `T` from JSON text (objects only for structs; see the module).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let node = parse(text)?;
    T::deserialize(&node)
}

/// What this browser's storage holds under `key`, if it is there and reads
/// as a `T` (`gloo_storage`'s `get`, through [`from_str`]).
pub fn stored<T: DeserializeOwned>(key: impl AsRef<str>) -> Option<T> {
    let text = LocalStorage::raw().get_item(key.as_ref()).ok()??;
    from_str(&text).ok()
}

/// Writes `value` as JSON under `key` in this browser's storage
/// (`gloo_storage`'s `set`, through [`to_string`]); the error says why not
/// (a full storage: the browser's own `QuotaExceededError: …`).
pub fn store<T: serde::Serialize + ?Sized>(key: impl AsRef<str>, value: &T) -> Result<(), Error> {
    let text = to_string(value)?;
    LocalStorage::raw()
        .set_item(key.as_ref(), &text)
        .map_err(|error| {
            use wasm_bindgen::JsCast;
            Error(js_sys::Error::unchecked_from_js(error).to_string().into())
        })
}

/// Why a text could not be read or written.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }

    // What was found is not written into the message: writing a number found
    // would bring the formatting of floats into the first load (11 KB of
    // wasm) for messages that only reach the console.
    fn invalid_type(_found: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Error(format!("invalid type, expected {expected}"))
    }

    fn invalid_value(_found: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Error(format!("invalid value, expected {expected}"))
    }
}

/// A JSON value, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'t> {
    Null,
    Bool(bool),
    /// The number's text, checked against JSON's grammar.
    Number(&'t str),
    String(Cow<'t, str>),
    Array(Vec<Node<'t>>),
    Object(Vec<(Cow<'t, str>, Node<'t>)>),
}

const MAX_DEPTH: usize = 128;

/// Parses a whole text: one value, white space around it.
pub fn parse(text: &str) -> Result<Node<'_>, Error> {
    let mut parser = Parser { text, at: 0 };
    let node = parser.value(0)?;
    parser.white_space();
    if parser.at != text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(node)
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Parser<'t> {
    fn error(&self, what: &str) -> Error {
        Error(format!("{what} at byte {}", self.at))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn white_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str, node: Node<'t>) -> Result<Node<'t>, Error> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(node)
        } else {
            Err(self.error("expected value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'t>, Error> {
        self.white_space();
        match self.peek() {
            Some(b'n') => self.literal("null", Node::Null),
            Some(b't') => self.literal("true", Node::Bool(true)),
            Some(b'f') => self.literal("false", Node::Bool(false)),
            Some(b'"') => Ok(Node::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(open @ (b'[' | b'{')) => {
                if depth == MAX_DEPTH {
                    return Err(self.error("recursion limit exceeded"));
                }
                self.at += 1;
                let close = if open == b'[' { b']' } else { b'}' };
                let (mut items, mut fields) = (Vec::new(), Vec::new());
                self.white_space();
                if self.peek() == Some(close) {
                    self.at += 1;
                } else {
                    loop {
                        if open == b'[' {
                            items.push(self.value(depth + 1)?);
                        } else {
                            self.white_space();
                            if self.peek() != Some(b'"') {
                                return Err(self.error("key must be a string"));
                            }
                            let key = self.string()?;
                            self.white_space();
                            if self.peek() != Some(b':') {
                                return Err(self.error("expected `:`"));
                            }
                            self.at += 1;
                            fields.push((key, self.value(depth + 1)?));
                        }
                        self.white_space();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(c) if c == close => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.error("expected `,` or a closing bracket")),
                        }
                    }
                }
                Ok(if open == b'[' {
                    Node::Array(items)
                } else {
                    Node::Object(fields)
                })
            }
            _ => Err(self.error("expected value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Node<'t>, Error> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let first = self.peek();
        match self.digits() {
            0 => return Err(self.error("invalid number")),
            n if n > 1 && first == Some(b'0') => return Err(self.error("invalid number")),
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(Node::Number(&self.text[start..self.at]))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid escape"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid escape"))
    }

    /// A string, at its opening quote; borrowed when it has no escape.
    fn string(&mut self) -> Result<Cow<'t, str>, Error> {
        self.at += 1;
        let mut owned: Option<String> = None;
        let mut run = self.at;
        loop {
            match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    let last = &self.text[run..self.at];
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(last),
                        Some(mut text) => {
                            text.push_str(last);
                            Cow::Owned(text)
                        }
                    });
                }
                Some(b'\\') => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    let escaped = self.peek().ok_or_else(|| self.error("invalid escape"))?;
                    self.at += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) {
                                if !self.text[self.at..].starts_with("\\u") {
                                    return Err(self.error("lone leading surrogate in hex escape"));
                                }
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("lone leading surrogate in hex escape"));
                                }
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            }
                            char::from_u32(code)
                                .ok_or_else(|| self.error("invalid unicode code point"))?
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    text.push(c);
                    run = self.at;
                }
                Some(0..=0x1f) => {
                    return Err(self.error("control character found while parsing a string"))
                }
                Some(_) => self.at += 1,
            }
        }
    }
}

/// A number's text as the value serde is given: an integer as `u64` (or
/// `i64` when negative), anything else (or beyond them) as `f64`.
#[inline(never)]
fn visit_number<'de, V: Visitor<'de>>(text: &str, visitor: V) -> Result<V::Value, Error> {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(n) = text.parse::<u64>() {
            return visitor.visit_u64(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return visitor.visit_i64(n);
        }
    }
    match float(text) {
        // serde_json refuses a number too large for an f64 the same way.
        value if value.is_infinite() => Err(Error("number out of range".into())),
        value => visitor.visit_f64(value),
    }
}

/// A JSON number (already checked) as the nearest `f64` for up to 15
/// significant digits and exponents up to 22 (both exact, one rounding), and
/// approximately beyond.
fn float(text: &str) -> f64 {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (digits, exponent) = match text.find(['e', 'E']) {
        // An exponent beyond i32 means a value beyond f64's range: far
        // enough either way (zero or too large), and no overflow below.
        Some(at) => (
            &text[..at],
            text[at + 1..].parse::<i32>().map_or_else(
                |_| {
                    if text[at + 1..].starts_with('-') {
                        -100_000
                    } else {
                        100_000
                    }
                },
                |e| e.clamp(-100_000, 100_000),
            ),
        ),
        None => (text, 0),
    };
    let (mut mantissa, mut scale) = (0u64, exponent);
    let mut fraction = false;
    for b in digits.bytes() {
        match b {
            b'.' => fraction = true,
            _ if mantissa < 1_000_000_000_000_000_000 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                scale -= i32::from(fraction);
            }
            // Digits past the nineteenth: only their count matters.
            _ => scale += i32::from(!fraction),
        }
    }
    let mut value = mantissa as f64;
    if scale < 0 {
        for _ in 0..(-scale).min(400) / 22 {
            value /= 1e22;
        }
        value /= 10f64.powi((-scale).min(400) % 22);
    } else {
        for _ in 0..scale.min(400) / 22 {
            value *= 1e22;
        }
        value *= 10f64.powi(scale.min(400) % 22);
    }
    if negative {
        -value
    } else {
        value
    }
}

fn unexpected<'a>(node: &'a Node) -> de::Unexpected<'a> {
    match node {
        Node::Null => de::Unexpected::Unit,
        Node::Bool(b) => de::Unexpected::Bool(*b),
        Node::Number(n) => de::Unexpected::Other(n),
        Node::String(s) => de::Unexpected::Str(s),
        Node::Array(_) => de::Unexpected::Seq,
        Node::Object(_) => de::Unexpected::Map,
    }
}

fn wrong<'de, V: Visitor<'de>, T>(node: &Node, visitor: &V) -> Result<T, Error> {
    Err(de::Error::invalid_type(unexpected(node), visitor))
}

/// `Deserializer` methods that read one kind of node, any other is refused.
macro_rules! typed_reads {
    ($visitor:ident; $($pattern:pat => $read:expr; $($method:ident)*;)*) => {$($(
        #[inline(never)]
        fn $method<V: Visitor<'de>>(self, $visitor: V) -> Result<V::Value, Error> {
            match self {
                $pattern => $read,
                _ => wrong(self, &$visitor),
            }
        }
    )*)*};
}

impl<'de, 'a, 't> Deserializer<'de> for &'a Node<'t> {
    type Error = Error;

    #[inline(never)]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Number(n) => visit_number(n, visitor),
            Node::String(s) => visitor.visit_str(s),
            Node::Array(items) => visit_array(items, visitor),
            Node::Object(fields) => visit_object(fields, visitor),
        }
    }

    #[inline(never)]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    #[inline(never)]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// A struct is read from an object only (see the module).
    #[inline(never)]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Object(fields) => visit_object(fields, visitor),
            _ => wrong(self, &visitor),
        }
    }

    #[inline(never)]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::String(name) => visitor.visit_enum(Variant(name, None)),
            Node::Object(fields) if fields.len() == 1 => {
                visitor.visit_enum(Variant(&fields[0].0, Some(&fields[0].1)))
            }
            _ => wrong(self, &visitor),
        }
    }

    #[inline(never)]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    // The methods below answer only the kind of node their type can be read
    // from (as serde_json's do): through `deserialize_any`, reading a
    // `String` compiled a reader of arrays and objects for it too.
    typed_reads! {
        visitor;
        Node::Bool(b) => visitor.visit_bool(*b); deserialize_bool;
        Node::Number(n) => visit_number(n, visitor);
            deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
            deserialize_f32 deserialize_f64;
        Node::String(s) => visitor.visit_str(s);
            deserialize_char deserialize_str deserialize_string deserialize_identifier;
        Node::Null => visitor.visit_unit(); deserialize_unit;
        Node::Array(items) => visit_array(items, visitor); deserialize_seq;
        Node::Object(fields) => visit_object(fields, visitor); deserialize_map;
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    serde::forward_to_deserialize_any! { bytes byte_buf }
}

#[inline(never)]
fn visit_array<'de, V: Visitor<'de>>(items: &[Node], visitor: V) -> Result<V::Value, Error> {
    let mut seq = Items(items.iter());
    let value = visitor.visit_seq(&mut seq)?;
    match seq.0.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(
            items.len(),
            &"fewer elements in array",
        )),
    }
}

#[inline(never)]
fn visit_object<'de, V: Visitor<'de>>(
    fields: &[(Cow<str>, Node)],
    visitor: V,
) -> Result<V::Value, Error> {
    let mut map = Fields(fields.iter(), None);
    let value = visitor.visit_map(&mut map)?;
    match map.0.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(
            fields.len(),
            &"fewer elements in map",
        )),
    }
}

struct Items<'a, 't>(std::slice::Iter<'a, Node<'t>>);

impl<'de> SeqAccess<'de> for &mut Items<'_, '_> {
    type Error = Error;

    #[inline(never)]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields<'a, 't>(
    std::slice::Iter<'a, (Cow<'t, str>, Node<'t>)>,
    Option<&'a Node<'t>>,
);

impl<'de> MapAccess<'de> for &mut Fields<'_, '_> {
    type Error = Error;

    #[inline(never)]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.0.next() {
            Some((key, value)) => {
                self.1 = Some(value);
                seed.deserialize(Key(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    #[inline(never)]
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let value = self
            .1
            .take()
            .ok_or_else(|| Error("a value without a key".into()))?;
        seed.deserialize(value)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// A key read as a whole number by each of these methods.
macro_rules! integer_keys {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.integer(visitor)
        }
    )*};
}

/// An object's key, or an enum's variant name: a string, which is also read
/// as a number or an id where the map's keys are (as serde_json does).
struct Key<'a>(&'a str);

impl<'de> Deserializer<'de> for Key<'_> {
    type Error = Error;

    #[inline(never)]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(self.0)
    }

    #[inline(never)]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    #[inline(never)]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    #[inline(never)]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(Variant(self.0, None))
    }

    serde::forward_to_deserialize_any! {
        bool char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any f32 f64 i128 u128
    }

    integer_keys!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64
    );
}

impl Key<'_> {
    /// A key that must be a whole number ("key must be a number in quotes").
    #[inline(never)]
    fn integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match (self.0.parse::<u64>(), self.0.parse::<i64>()) {
            (Ok(n), _) => visitor.visit_u64(n),
            (_, Ok(n)) => visitor.visit_i64(n),
            _ => Err(Error(format!(
                "expected a number in quotes, not {:?}",
                self.0
            ))),
        }
    }
}

/// An enum's variant: its name and, unless it was written as a bare string,
/// its content.
struct Variant<'a, 't>(&'a str, Option<&'a Node<'t>>);

impl<'de, 'a, 't> EnumAccess<'de> for Variant<'a, 't> {
    type Error = Error;
    type Variant = Content<'a, 't>;

    #[inline(never)]
    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), Error> {
        Ok((seed.deserialize(Key(self.0))?, Content(self.1)))
    }
}

/// A variant's content (none when written as a bare string).
struct Content<'a, 't>(Option<&'a Node<'t>>);

impl<'de> VariantAccess<'de> for Content<'_, '_> {
    type Error = Error;

    #[inline(never)]
    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None | Some(Node::Null) => Ok(()),
            Some(node) => Err(de::Error::invalid_type(unexpected(node), &"unit variant")),
        }
    }

    #[inline(never)]
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(node) => seed.deserialize(node),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    #[inline(never)]
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(Node::Array(items)) => visit_array(items, visitor),
            Some(node) => wrong(node, &visitor),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &visitor,
            )),
        }
    }

    /// Like a struct, from an object only.
    #[inline(never)]
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Some(Node::Object(fields)) => visit_object(fields, visitor),
            Some(node) => wrong(node, &visitor),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &visitor,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::from_str;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        day: String,
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Plain,
        Wrapped(u32),
        Pair(u8, u8),
        Fields { x: i32 },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        items: Vec<Inner>,
        by_name: BTreeMap<String, Inner>,
        shapes: Vec<Shape>,
        #[serde(default)]
        missing: Vec<u8>,
        id: chengnuo_domain::ids::ItemId,
    }

    const OUTER: &str = r#"{
        "items": [{"day": "2026-12-01", "note": "引号\"与换行\n"}, {"day": "x", "note": null, "extra": [1, {"a": 2}]}],
        "by_name": {"a": {"day": "d"}},
        "shapes": ["plain", {"wrapped": 7}, {"pair": [1, 2]}, {"fields": {"x": -3}}],
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8"
    }"#;

    /// Everything serde_json reads from objects, the adapter reads the same.
    #[test]
    fn reads_what_serde_json_reads() {
        let ours: Outer = from_str(OUTER).unwrap();
        let theirs: Outer = serde_json::from_str(OUTER).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.items[0].note.as_deref(), Some("引号\"与换行\n"));
        assert_eq!(ours.shapes[3], Shape::Fields { x: -3 });
    }

    /// A struct or struct variant sent as an array is refused, nothing else
    /// changes; trailing text after the value is refused as before.
    #[test]
    fn structs_only_from_objects() {
        assert!(serde_json::from_str::<Inner>(r#"["d", null]"#).is_ok());
        assert!(from_str::<Inner>(r#"["d", null]"#).is_err());
        assert!(from_str::<Shape>(r#"{"fields": [1]}"#).is_err());
        assert!(from_str::<Vec<Inner>>(r#"[{"day":"d"}]"#).is_ok());
        assert!(from_str::<Inner>(r#"{"day":"d"} x"#).is_err());
        assert!(from_str::<Inner>(r#"{"day":1}"#).is_err());
    }

    /// serde_json's own tests of the text: what it refuses, this refuses.
    #[test]
    fn malformed_text_is_refused_like_serde_json() {
        for text in [
            "",
            " ",
            "nul",
            "tru",
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "1e+",
            "+1",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"\u{1}\"",
            "[",
            "{",
            "[1]]",
            "NaN",
        ] {
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "{text:?}"
            );
            assert!(super::parse(text).is_err(), "{text:?} should be refused");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(super::parse(&deep).is_err());
        let fine = "[".repeat(100) + &"]".repeat(100);
        assert!(super::parse(&fine).is_ok());
    }

    #[test]
    fn numbers_read_as_serde_json_reads_them() {
        for (text, expected) in [
            ("0", 0.0),
            ("-0.5", -0.5),
            ("92.5", 92.5),
            ("1764345600000.0", 1_764_345_600_000.0),
            ("1e3", 1000.0),
            ("2.5E-3", 0.0025),
            ("123456789012345.6", 123_456_789_012_345.6),
            ("18446744073709551616", 18_446_744_073_709_551_616.0),
        ] {
            assert_eq!(from_str::<f64>(text).unwrap(), expected, "{text}");
            assert_eq!(
                from_str::<f64>(text).unwrap(),
                serde_json::from_str::<f64>(text).unwrap()
            );
        }
        assert_eq!(from_str::<u64>("18446744073709551615").unwrap(), u64::MAX);
        assert_eq!(from_str::<i64>("-9223372036854775808").unwrap(), i64::MIN);
        assert_eq!(from_str::<i32>("-7").unwrap(), -7);
        assert!(from_str::<u8>("256").is_err());
        assert!(from_str::<u8>("-1").is_err());
        assert!(from_str::<u32>("1.5").is_err());
        assert_eq!(from_str::<(f64, f64)>("[1.5,2]").unwrap(), (1.5, 2.0));
        // Beyond f64's range: towards zero reads as zero, too large is
        // refused, as serde_json does (exponents beyond i32 included).
        for text in ["1e-400", "-1e-99999999999", "1e-99999999999"] {
            assert_eq!(from_str::<f64>(text).unwrap(), 0.0, "{text}");
            assert_eq!(serde_json::from_str::<f64>(text).unwrap(), 0.0, "{text}");
        }
        for text in ["1e400", "-1e99999999999", "1e+99999999999"] {
            assert!(from_str::<f64>(text).is_err(), "{text}");
            assert!(serde_json::from_str::<f64>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn maps_options_units_and_keys() {
        let numbers: BTreeMap<u32, Option<String>> = from_str(r#"{"1": "a", "20": null}"#).unwrap();
        assert_eq!(numbers[&1].as_deref(), Some("a"));
        assert_eq!(numbers[&20], None);
        assert!(from_str::<BTreeMap<u32, u8>>(r#"{"x": 1}"#).is_err());
        let ids: BTreeMap<chengnuo_domain::ids::ItemId, Shape> =
            from_str(r#"{"67e55044-10b1-426f-9247-bb680e5fe0c8": "plain"}"#).unwrap();
        assert_eq!(ids.values().next(), Some(&Shape::Plain));
        let shapes: BTreeMap<Shape, u8> = from_str(r#"{"plain": 1}"#).unwrap();
        assert_eq!(shapes[&Shape::Plain], 1);
        assert_eq!(from_str::<()>("null"), Ok(()));
        assert_eq!(
            from_str::<Shape>(r#"{"plain": null}"#).unwrap(),
            Shape::Plain
        );
        assert!(from_str::<Shape>(r#""wrapped""#).is_err());
        assert!(from_str::<Shape>(r#"{"plain": 1, "wrapped": 2}"#).is_err());
        assert_eq!(
            from_str::<String>(r#""\ud83d\ude00 \/ \b\f\t""#).unwrap(),
            "😀 / \u{8}\u{c}\t"
        );
    }

    /// The wire's own shapes (internally and adjacently tagged enums, flattened
    /// fields, counts read from any number) read the same as with serde_json.
    #[test]
    fn the_domains_tagged_and_flattened_types_read_the_same() {
        use chengnuo_domain::messages::Message;
        let messages = r#"[{"code":"too_long","max":3},{"code":"required"}]"#;
        assert_eq!(
            from_str::<Vec<Message>>(messages).ok(),
            serde_json::from_str::<Vec<Message>>(messages).ok()
        );
        assert!(from_str::<Vec<Message>>(messages).is_ok());
    }

    proptest::proptest! {
        /// Any string and any tree of values serde_json writes reads back
        /// the same.
        #[test]
        fn what_serde_json_writes_reads_back(
            texts in proptest::collection::vec(".*", 0..6),
            numbers in proptest::collection::vec(proptest::num::i64::ANY, 0..6),
            floats in proptest::collection::vec(-1e15f64..1e15, 0..6),
            keyed in proptest::collection::btree_map("[a-z\"\\\\]{0,4}", proptest::option::of(0u32..9), 0..5),
        ) {
            let value = (texts, numbers, keyed);
            let text = serde_json::to_string(&value).unwrap();
            proptest::prop_assert_eq!(from_str::<(Vec<String>, Vec<i64>, BTreeMap<String, Option<u32>>)>(&text).unwrap(), value);
            let rounded: Vec<f64> = floats.iter().map(|f| (f * 100.0).round() / 100.0).collect();
            let text = serde_json::to_string(&rounded).unwrap();
            proptest::prop_assert_eq!(from_str::<Vec<f64>>(&text).unwrap(), serde_json::from_str::<Vec<f64>>(&text).unwrap());
        }
    }
}
