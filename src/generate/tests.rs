use super::*;
use crate::import::validate;

#[test]
fn generated_sets_are_valid_and_the_size_asked_for() {
    let file = data_set(Spec {
        predictions: 2_000,
        experts: 300,
        seed: 7,
    });
    assert_eq!(file.predictions.len(), 2_000);
    assert_eq!(file.experts.len(), 300);
    let set = validate(&file).unwrap();
    assert_eq!(set.predictions.len(), 2_000);
    assert!(set.resolutions.len() > set.propositions.len() / 2);
}

#[test]
fn the_same_seed_gives_the_same_set() {
    let spec = Spec {
        predictions: 200,
        experts: 50,
        seed: 1,
    };
    let a = serde_json::to_string(&data_set(spec)).unwrap();
    let b = serde_json::to_string(&data_set(spec)).unwrap();
    assert_eq!(a, b);
    let other = serde_json::to_string(&data_set(Spec { seed: 2, ..spec })).unwrap();
    assert_ne!(a, other);
}
