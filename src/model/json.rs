//! Reading the contract's JSON into the model types.
//!
//! In the browser the text is parsed by the browser's own `JSON.parse`, and the decoders
//! below walk the result; natively (press pre-rendering, unit tests) serde_json parses it.
//! Both sides run the same decoders, written against [`JsonValue`]. This keeps serde's
//! per-type deserializer code out of the wasm, which was a fifth of it.
//!
//! A decoder names the field it failed on (`items[0].title: expected a string, found a
//! number`), and ignores fields it does not know, as the contract asks.

use std::fmt;

use super::ContractError;

/// A parsed JSON value, as far as the decoders need to see it.
pub trait JsonValue: Sized {
    /// The member `key` of an object; `None` when absent, or when this is not an object.
    fn member(&self, key: &str) -> Option<Self>;
    fn is_object(&self) -> bool;
    fn is_null(&self) -> bool;
    fn string(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn boolean(&self) -> Option<bool>;
    /// The first `most` elements, when this is an array.
    fn elements(&self, most: usize) -> Option<Vec<Self>>;
    /// What this is, for error messages: "a string", "null", ...
    fn kind(&self) -> &'static str;
}

/// Where a decoder is in the document: a chain of object keys and array positions.
#[derive(Clone, Copy)]
pub enum At<'a> {
    Root,
    Member(&'a At<'a>, &'a str),
    Element(&'a At<'a>, usize),
}

impl At<'_> {
    /// An error at this place.
    pub fn error(&self, problem: impl Into<String>) -> ContractError {
        ContractError {
            field: self.to_string(),
            problem: problem.into(),
        }
    }

    fn expected(&self, what: &str, found: &'static str) -> ContractError {
        self.error(format!("expected {what}, found {found}"))
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Member(parent, key) => {
                parent.fmt(f)?;
                if !matches!(parent, At::Root) {
                    f.write_str(".")?;
                }
                f.write_str(key)
            }
            At::Element(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// The largest count the contract carries: the largest whole number a browser's JSON reader
/// keeps exactly (2^53 - 1).
pub const MAX_COUNT: u64 = 9_007_199_254_740_991;

/// A value that can be read from JSON.
pub trait Decode: Sized {
    /// How many of these one list holds at most. The rest of a longer list is not read, so a
    /// broken or hostile answer cannot make a page build for seconds (100,000 cards: 49 s).
    const MOST_IN_A_LIST: usize = 1_000;

    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError>;

    /// What an object member of this type is when the object does not have it: an error,
    /// unless the type is an `Option`.
    fn absent(at: At) -> Result<Self, ContractError> {
        Err(at.error("is missing"))
    }
}

/// An optional member: absent or `null` is `None`.
impl<T: Decode> Decode for Option<T> {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        if value.is_null() {
            Ok(None)
        } else {
            T::decode(value, at).map(Some)
        }
    }

    fn absent(_: At) -> Result<Self, ContractError> {
        Ok(None)
    }
}

/// `Decode` for a struct read from a JSON object whose keys are the struct's field names:
/// `decode_object!(Section { slug, name });`. Whether a member is required follows from its
/// field's type (`Option` or not); members not listed are ignored. `most_in_a_list = N`
/// after the braces sets [`Decode::MOST_IN_A_LIST`].
#[macro_export]
macro_rules! decode_object {
    ($ty:ident { $($field:ident),* $(,)? } $(, most_in_a_list = $most:expr)?) => {
        impl $crate::model::json::Decode for $ty {
            $(const MOST_IN_A_LIST: usize = $most;)?

            fn decode<V: $crate::model::json::JsonValue>(
                value: &V,
                at: $crate::model::json::At,
            ) -> Result<Self, $crate::model::ContractError> {
                let o = $crate::model::json::Object::new(value, at)?;
                Ok($ty { $($field: o.member(stringify!($field))?),* })
            }
        }
    };
}

/// The members of one JSON object, read by name.
pub struct Object<'a, V> {
    value: &'a V,
    at: At<'a>,
}

impl<'a, V: JsonValue> Object<'a, V> {
    /// `value` as an object, or the error that it is something else.
    pub fn new(value: &'a V, at: At<'a>) -> Result<Self, ContractError> {
        if value.is_object() {
            Ok(Object { value, at })
        } else {
            Err(at.expected("an object", value.kind()))
        }
    }

    /// The member `key`: required unless `T` is an `Option`.
    pub fn member<T: Decode>(&self, key: &str) -> Result<T, ContractError> {
        let at = At::Member(&self.at, key);
        match self.value.member(key) {
            Some(member) => T::decode(&member, at),
            None => T::absent(at),
        }
    }
}

impl Decode for String {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        value
            .string()
            .ok_or_else(|| at.expected("a string", value.kind()))
    }
}

impl Decode for bool {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        value
            .boolean()
            .ok_or_else(|| at.expected("true or false", value.kind()))
    }
}

/// A whole number from 0 to `max`. (The message leaves out the number found: formatting
/// floating-point numbers would add 10 KB to the wasm.)
fn count<V: JsonValue>(value: &V, at: At, max: u64) -> Result<f64, ContractError> {
    let n = value
        .number()
        .ok_or_else(|| at.expected("a number", value.kind()))?;
    if n.fract() != 0.0 || !(0.0..=max as f64).contains(&n) {
        return Err(at.error(format!("expected a whole number from 0 to {max}")));
    }
    Ok(n)
}

impl Decode for u64 {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        count(value, at, MAX_COUNT).map(|n| n as u64)
    }
}

impl Decode for u32 {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        count(value, at, u32::MAX.into()).map(|n| n as u32)
    }
}

impl Decode for u8 {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        count(value, at, u8::MAX.into()).map(|n| n as u8)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let elements = value
            .elements(T::MOST_IN_A_LIST)
            .ok_or_else(|| at.expected("an array", value.kind()))?;
        elements
            .iter()
            .enumerate()
            .map(|(i, element)| T::decode(element, At::Element(&at, i)))
            .collect()
    }
}

/// Parses `text` as JSON and decodes it as `T`. The error says what is wrong and where.
pub fn from_str<T: Decode>(text: &str) -> Result<T, String> {
    let parsed = parse_value(text)?;
    #[cfg(not(target_arch = "wasm32"))]
    let parsed = &parsed;
    T::decode(&parsed, At::Root).map_err(|e| e.to_string())
}

/// Parses JSON text: the browser's own `JSON.parse` in wasm, serde_json natively.
#[cfg(target_arch = "wasm32")]
pub fn parse_value(text: &str) -> Result<wasm_bindgen::JsValue, String> {
    use wasm_bindgen::JsCast;
    js_sys::JSON::parse(text).map_err(|e| match e.dyn_into::<js_sys::Error>() {
        Ok(error) => format!("not JSON: {}", String::from(error.message())),
        Err(_) => "not JSON".to_string(),
    })
}

/// Parses JSON text: the browser's own `JSON.parse` in wasm, serde_json natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_value(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

/// The browser's parsed JSON.
#[cfg(target_arch = "wasm32")]
impl JsonValue for wasm_bindgen::JsValue {
    fn member(&self, key: &str) -> Option<Self> {
        if !JsonValue::is_object(self) {
            return None;
        }
        // A member the document does not have reads as undefined, or as what the object
        // inherits from Object.prototype (`constructor`, `toString`, ...): always a function,
        // which JSON cannot hold. Either way the member is absent.
        js_sys::Reflect::get(self, &wasm_bindgen::JsValue::from_str(key))
            .ok()
            .filter(|member| !member.is_undefined() && !member.is_function())
    }

    fn is_object(&self) -> bool {
        wasm_bindgen::JsValue::is_object(self) && !js_sys::Array::is_array(self)
    }

    fn is_null(&self) -> bool {
        wasm_bindgen::JsValue::is_null(self)
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn elements(&self, most: usize) -> Option<Vec<Self>> {
        if js_sys::Array::is_array(self) {
            let array = js_sys::Array::from(self);
            let len = array.length().min(u32::try_from(most).unwrap_or(u32::MAX));
            Some((0..len).map(|i| array.get(i)).collect())
        } else {
            None
        }
    }

    fn kind(&self) -> &'static str {
        if wasm_bindgen::JsValue::is_null(self) {
            "null"
        } else if js_sys::Array::is_array(self) {
            "an array"
        } else if self.is_string() {
            "a string"
        } else if self.as_f64().is_some() {
            "a number"
        } else if self.as_bool().is_some() {
            "true or false"
        } else {
            "an object"
        }
    }
}

/// serde_json's parsed JSON (natively).
#[cfg(not(target_arch = "wasm32"))]
impl JsonValue for &serde_json::Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.get(key).filter(|_| self.is_object())
    }

    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }

    fn is_null(&self) -> bool {
        serde_json::Value::is_null(self)
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_string)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn elements(&self, most: usize) -> Option<Vec<Self>> {
        self.as_array().map(|a| a.iter().take(most).collect())
    }

    fn kind(&self) -> &'static str {
        match self {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "true or false",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::Object(_) => "an object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Pair {
        name: String,
        n: Option<u32>,
        tags: Vec<String>,
    }

    impl Decode for Pair {
        fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
            let o = Object::new(value, at)?;
            Ok(Pair {
                name: o.member("name")?,
                n: o.member("n")?,
                tags: o.member::<Option<_>>("tags")?.unwrap_or_default(),
            })
        }
    }

    fn error(text: &str) -> String {
        match from_str::<Vec<Pair>>(text) {
            Ok(_) => panic!("{text} decoded"),
            Err(e) => e,
        }
    }

    #[test]
    fn reads_members_and_ignores_unknown_ones() {
        let pairs: Vec<Pair> = from_str(
            r#"[{"name":"a","n":3,"extra":{"x":[1]}},{"name":"b","n":null,"tags":["t"]}]"#,
        )
        .expect("valid");
        assert_eq!(pairs[0].name, "a");
        assert_eq!(pairs[0].n, Some(3));
        assert_eq!(pairs[1].n, None);
        assert_eq!(pairs[1].tags, ["t"]);
    }

    #[test]
    fn errors_name_the_place() {
        assert_eq!(error(r#"[{"name":"a"},{"n":1}]"#), "[1].name: is missing");
        assert_eq!(
            error(r#"[{"name":"a","tags":["x",7]}]"#),
            "[0].tags[1]: expected a string, found a number"
        );
        assert_eq!(
            error(r#"[{"name":null}]"#),
            "[0].name: expected a string, found null"
        );
        assert_eq!(
            error(r#"{"name":"a"}"#),
            "expected an array, found an object"
        );
        assert_eq!(error(r#"[[]]"#), "[0]: expected an object, found an array");
    }

    #[test]
    fn numbers_must_be_whole_and_in_range() {
        for bad in ["-1", "1.5", "4294967296", "1e300", "\"3\""] {
            let text = format!(r#"[{{"name":"a","n":{bad}}}]"#);
            assert!(error(&text).starts_with("[0].n: expected"), "{bad}");
        }
        let ok: Vec<Pair> = from_str(r#"[{"name":"a","n":4294967295}]"#).expect("max u32");
        assert_eq!(ok[0].n, Some(u32::MAX));
    }

    #[test]
    fn a_list_is_read_only_up_to_its_limit() {
        // Regression: an article with 100,000 Related cards froze the page for 49 s.
        let long = format!("[{}\"last\"]", "\"x\",".repeat(5_000));
        let read: Vec<String> = from_str(&long).expect("strings");
        assert_eq!(read.len(), String::MOST_IN_A_LIST);
        assert!(read.iter().all(|s| s == "x"), "the first ones, in order");
        let short: Vec<String> = from_str(r#"["a","b"]"#).expect("strings");
        assert_eq!(short, ["a", "b"]);
    }

    #[test]
    fn malformed_text_is_not_json() {
        for bad in ["", "[", "{\"name\":}", "[1,]", "nul"] {
            assert!(error(bad).starts_with("not JSON"), "{bad:?}");
        }
    }
}
