//! Typed query strings and form bodies: each page names what it reads in a serde-derived
//! struct, read by `Query<T>` or `Form<T>`. A value that cannot be read is refused with a 400
//! that names its parameter and says what was wrong (as a page, or as JSON under /api/), rather
//! than with a generic rejection.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::value::{Error as ValueError, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, IntoDeserializer, Visitor};
use serde::{Deserialize, Deserializer, forward_to_deserialize_any};

use super::AppError;

/// The parameters of the address's query string, as `T` reads them. Values are trimmed, and
/// a blank one (an empty form field) counts as absent; when a name repeats, the last counts.
pub struct Query<T>(pub T);

/// The fields of a form body, as `T` reads them; a name may repeat (checkboxes), and a field
/// that is a list receives every value.
pub struct Form<T>(pub T);

/// Why a request's parameters were refused: answered as the 400 page, or under /api/ as the
/// API's JSON error.
pub struct Refusal {
    error: AppError,
    api: bool,
}

impl Refusal {
    pub fn new(error: AppError, path: &str) -> Self {
        Self {
            error,
            api: path.starts_with("/api/"),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        if self.api {
            super::api::ApiFailure::from(self.error).into_response()
        } else {
            self.error.into_response()
        }
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Refusal> {
        read_query(parts.uri.query())
            .map(Query)
            .map_err(|error| Refusal::new(error, parts.uri.path()))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let path = request.uri().path().to_string();
        // Axum's own form reader keeps its answers to a body that is too large or not a form.
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        read_fields(&pairs)
            .map(Form)
            .map_err(|error| Refusal::new(error, &path).into_response())
    }
}

/// The name and value pairs of a query string, in order.
pub fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or("")).map_err(|_| {
        AppError::bad_parameter(
            "query string",
            "The address's query string could not be read.",
        )
    })
}

/// Reads a query string into `T`: trimmed values, the last of a repeated name, blanks absent.
pub fn read_query<T: DeserializeOwned>(raw: Option<&str>) -> Result<T, AppError> {
    let mut last: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in pairs(raw)? {
        last.insert(name, value.trim().to_string());
    }
    last.retain(|_, value| !value.is_empty());
    deserialize(
        last.into_iter()
            .map(|(name, value)| (name, Values(vec![value]))),
    )
}

/// Reads posted fields into `T`, as they were typed.
pub fn read_fields<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, AppError> {
    let mut grouped: BTreeMap<String, Values> = BTreeMap::new();
    for (name, value) in pairs {
        grouped
            .entry(name.clone())
            .or_insert_with(|| Values(Vec::new()))
            .0
            .push(value.clone());
    }
    deserialize(grouped.into_iter())
}

fn deserialize<T: DeserializeOwned>(
    fields: impl Iterator<Item = (String, Values)>,
) -> Result<T, AppError> {
    let map = MapDeserializer::<_, ValueError>::new(fields);
    serde_path_to_error::deserialize(map).map_err(|error| {
        let parameter = error
            .path()
            .iter()
            .find_map(|segment| match segment {
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "query string".to_string());
        AppError::bad_parameter(parameter, error.into_inner().to_string())
    })
}

/// Every value given for one name: a list field takes them all, any other field the first (a
/// query string keeps only its last).
struct Values(Vec<String>);

impl<'de> IntoDeserializer<'de, ValueError> for Values {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Values {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0.into_iter().next() {
            Some(value) => visitor.visit_string(value),
            None => visitor.visit_none(),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_seq(SeqDeserializer::new(self.0.into_iter()))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A parameter read from its text; the error is the message the 400 page shows.
pub trait Param: Sized {
    fn parse(text: &str) -> Result<Self, String>;
}

/// Reads a `Param` from the text of its field.
pub fn param<'de, D: Deserializer<'de>, T: Param>(deserializer: D) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    T::parse(&text).map_err(serde::de::Error::custom)
}

/// Implements `Deserialize` through `Param::parse`.
macro_rules! deserialize_as_param {
    ($type:ty) => {
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::web::extract::param(deserializer)
            }
        }
    };
}
pub(crate) use deserialize_as_param;

/// A whole number from `MIN` to `MAX`.
#[derive(Debug, Clone, Copy)]
pub struct Whole<const MIN: u32, const MAX: u32>(pub u32);

impl<const MIN: u32, const MAX: u32> Param for Whole<MIN, MAX> {
    fn parse(text: &str) -> Result<Self, String> {
        text.parse::<u32>()
            .ok()
            .filter(|n| (MIN..=MAX).contains(n))
            .map(Self)
            .ok_or_else(|| {
                format!("\u{201c}{text}\u{201d} is not a whole number from {MIN} to {MAX}.")
            })
    }
}

impl<'de, const MIN: u32, const MAX: u32> Deserialize<'de> for Whole<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        param(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Sample {
        page: Option<Whole<1, 9>>,
        q: Option<String>,
        #[serde(default)]
        topics: Vec<String>,
    }

    fn refused(result: Result<Sample, AppError>) -> (String, String) {
        match result {
            Err(AppError::BadParameter { parameter, message }) => (parameter, message),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn a_query_is_trimmed_and_the_last_of_a_name_counts() {
        let sample: Sample = read_query(Some("q=+a+&page=1&page=2&topics=x")).unwrap();
        assert_eq!(sample.q.as_deref(), Some("a"));
        assert_eq!(sample.page.map(|p| p.0), Some(2));
        assert_eq!(sample.topics, vec!["x".to_string()]);
        let blank: Sample = read_query(Some("q=a&q=+&page=")).unwrap();
        assert!(blank.q.is_none() && blank.page.is_none());
    }

    #[test]
    fn a_bad_value_is_refused_naming_its_parameter() {
        assert_eq!(
            refused(read_query(Some("q=a&page=10"))),
            (
                "page".to_string(),
                "\u{201c}10\u{201d} is not a whole number from 1 to 9.".to_string()
            )
        );
    }

    #[test]
    fn a_form_keeps_every_value_of_a_list_and_spaces() {
        let pairs = [
            ("topics".to_string(), "a".to_string()),
            ("q".to_string(), " x ".to_string()),
            ("topics".to_string(), "b".to_string()),
        ];
        let sample: Sample = read_fields(&pairs).unwrap();
        assert_eq!(sample.topics, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(sample.q.as_deref(), Some(" x "));
    }
}
