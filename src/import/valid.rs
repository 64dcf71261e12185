//! The records of a data set once checked: what `validate` makes of a file's records, and what
//! `db::dataset` writes. They are the model's own types (`domain::model`); a prediction or an
//! outcome also keeps which record of the file it was, for problems found only when it meets
//! the database.

use std::ops::Deref;

use super::issue::RecordRef;
use crate::domain::Role;
use crate::domain::model::{
    Event, Expert, GivenEstimate, Prediction, Proposition, Resolution, Source, Topic,
};

/// An account a file sets up for an analyst; not part of the model of predictions.
#[derive(Debug, Clone)]
pub struct ValidAnalyst {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// A checked value and the record of the file it was read from.
#[derive(Debug, Clone)]
pub struct AtRecord<T> {
    pub record: RecordRef,
    pub value: T,
}

impl<T> Deref for AtRecord<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A data set with every record checked.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    pub analysts: Vec<ValidAnalyst>,
    pub topics: Vec<Topic>,
    pub experts: Vec<Expert>,
    pub sources: Vec<Source>,
    pub events: Vec<Event>,
    pub propositions: Vec<Proposition>,
    pub predictions: Vec<AtRecord<Prediction<GivenEstimate>>>,
    pub resolutions: Vec<AtRecord<Resolution>>,
}
