//! The reader's behaviour on sentences written for these tests (none from the seed articles).
//! One file of a little over 400 lines: each rule's cases sit together, in the order the reader
//! applies its rules; the accuracy floors are their own file (`floors.rs`).

use super::hedges::tests::scales;

mod floors;
use super::{Attribution, Candidate, SpeakerKind, extract};

fn read(text: &str) -> Vec<Candidate> {
    let found = extract(text, &scales());
    for c in &found {
        assert_eq!(
            &text[c.start..c.end],
            c.quote,
            "quote is the text at its offsets"
        );
    }
    found
}

fn one(text: &str) -> Candidate {
    let mut found = read(text);
    assert_eq!(found.len(), 1, "one candidate in {text:?}: {found:#?}");
    found.remove(0)
}

fn speaker(c: &Candidate) -> &str {
    c.speaker.as_deref().unwrap_or("")
}

#[test]
fn x_said_and_said_x() {
    let c = one("Maria Lopez said inflation will fall below 3% next year.");
    assert_eq!(
        (speaker(&c), c.attribution),
        ("Maria Lopez", Attribution::Reported)
    );
    assert_eq!(c.quote, "inflation will fall below 3% next year.");
    let c = one(
        "\"Inflation will fall next year,\" said Maria Lopez, chief economist at Dunmore Bank.",
    );
    assert_eq!(
        (speaker(&c), c.attribution),
        ("Maria Lopez", Attribution::Direct)
    );
    assert_eq!(c.quote, "Inflation will fall next year");
    assert_eq!(c.affiliation.as_deref(), Some("Dunmore Bank"));
    assert_eq!(c.title.as_deref(), Some("chief economist"));
}

#[test]
fn told_reporters_and_according_to() {
    let c = one("“Fuel prices will rise again,” Dan Ortiz told reporters on Friday.");
    assert_eq!(speaker(&c), "Dan Ortiz");
    let c = one("The plant will close next year, according to two union officials.");
    assert_eq!(
        (speaker(&c), c.attribution),
        ("two union officials", Attribution::AccordingTo)
    );
    assert_eq!(c.speaker_kind, SpeakerKind::Collective);
}

#[test]
fn expects_and_predicts() {
    let c = one("The central bank expects inflation to ease to 2% by June.");
    assert_eq!(speaker(&c), "The central bank");
    assert_eq!(c.probability, Some(0.75));
    assert_eq!(c.proposition.statement, "Inflation eases to 2% by June.");
    let c = one("Analysts at Fenwick predict the merger will be approved.");
    assert_eq!(speaker(&c), "Analysts at Fenwick");
    assert_eq!(c.proposition.statement, "The merger is approved.");
}

#[test]
fn a_pronoun_is_the_person_last_named() {
    let text = "Anna Berg, an analyst at Nordic Bank, spoke on Monday. \"Rates will fall in the spring,\" she said.";
    assert_eq!(speaker(&one(text)), "Anna Berg");
    let text = "Tom Ruiz said the count was slow. He added, \"The incumbent will probably win.\"";
    let c = one(text);
    assert_eq!(
        (speaker(&c), c.attribution),
        ("Tom Ruiz", Attribution::Direct)
    );
    let text =
        "Sven Holm called the plan weak. Kari Dahl was more upbeat. \"It could pass,\" she said.";
    assert_eq!(speaker(&one(text)), "Kari Dahl");
}

#[test]
fn a_bare_surname_is_the_person_named_before() {
    let text = "Rosa Delgado, a professor of economics at the University of Leeds, spoke first.\n\n\
                Delgado said the recession would end in the spring.";
    let c = one(text);
    assert_eq!(speaker(&c), "Rosa Delgado");
}

#[test]
fn apposition_gives_title_and_affiliation() {
    let c = one(
        "Rosa Delgado, a professor of economics at the University of Leeds, said the recession would end in the spring.",
    );
    assert_eq!(speaker(&c), "Rosa Delgado");
    assert_eq!(c.title.as_deref(), Some("professor of economics"));
    assert_eq!(c.affiliation.as_deref(), Some("University of Leeds"));
    let c = one(
        "Kenji Mori, Senior Fellow at the Tokyo Policy Institute, said, \"A snap election is likely.\"",
    );
    assert_eq!(c.title.as_deref(), Some("Senior Fellow"));
    assert_eq!(c.affiliation.as_deref(), Some("Tokyo Policy Institute"));
}

#[test]
fn described_speakers_are_kept_as_printed() {
    for (text, who) in [
        (
            "A Kremlin adviser said the talks would fail.",
            "A Kremlin adviser",
        ),
        (
            "A senior presidential official said the summit will take place in March.",
            "A senior presidential official",
        ),
        (
            "Experts say the drought will last into the autumn.",
            "Experts",
        ),
        ("Some predict that the coalition could collapse.", "Some"),
        (
            "Diplomatic sources said the envoy will visit Cairo.",
            "Diplomatic sources",
        ),
    ] {
        let c = one(text);
        assert_eq!(
            (speaker(&c), c.speaker_kind),
            (who, SpeakerKind::Collective),
            "{text}"
        );
    }
}

#[test]
fn two_people_speaking_together_are_a_group() {
    let c = one(
        "Ana Silva and Ben Cho, researchers at the Lisbon Institute, wrote that a deal is highly unlikely.",
    );
    assert_eq!(
        (speaker(&c), c.speaker_kind),
        ("Ana Silva and Ben Cho", SpeakerKind::Group)
    );
    assert_eq!(c.scale_term.as_deref(), Some("highly unlikely"));
}

#[test]
fn the_writers_own_voice_is_unattributed() {
    let c = one("The merger is unlikely to close before the end of the year.");
    assert_eq!(
        (c.speaker.as_deref(), c.speaker_kind, c.attribution),
        (None, SpeakerKind::Unattributed, Attribution::Unattributed)
    );
    assert_eq!(
        c.proposition.statement,
        "The merger closes before the end of the year."
    );
    // A bare "will" in the writer's voice is background, not the writer's forecast.
    assert!(read("The festival will open on Friday with a parade.").is_empty());
}

#[test]
fn only_forward_looking_claims() {
    for text in [
        "The visit is likely an attempt to reassure allies, an official said.",
        "The bank raised rates three times last year, analysts said.",
        "Will the bank cut rates in June?",
        "Analysts asked whether the bank would cut rates in June.",
        "The minister is scheduled to arrive on Monday, officials said.",
        "The company plans to open a plant in Ohio, a spokesman said.",
        "If the strike goes ahead, prices will rise, analysts said.",
        "\"We will defend our market share,\" the chief executive said.",
        "\"This could be seen as a warning to Tokyo,\" he said.",
        "\"The summit will be an important moment,\" the envoy said.",
        "\"It would have been a disaster,\" the coach said.",
        "Sales fell because buyers expected prices would drop, the report said.",
    ] {
        assert!(
            read(text).is_empty(),
            "no candidate in {text:?}: {:#?}",
            read(text)
        );
    }
}

#[test]
fn hedges_read_from_scales_and_lexicon() {
    let c = one("The Fed may cut rates in July, economists said.");
    assert_eq!((c.probability, c.scale.as_deref()), (Some(0.5), None));
    assert!(
        c.probability_reason.starts_with("'may' read as 0.5 ("),
        "{}",
        c.probability_reason
    );
    let c = one("The treaty is highly unlikely to pass, diplomats said.");
    assert_eq!(
        (c.probability, c.scale.as_deref()),
        (Some(0.15), Some("uk-yardstick"))
    );
    let c = one("Officials said the bridge is likely to reopen in May.");
    assert_eq!(
        (c.probability, c.scale_term.as_deref()),
        (Some(0.675), Some("likely"))
    );
    let c = one("\"The union won't accept the offer,\" its leader said.");
    assert_eq!(c.probability, Some(0.07));
    assert_eq!(c.proposition.statement, "The union accepts the offer.");
    let c = one("Traders said the rate rise will not likely come before autumn.");
    assert_eq!(c.probability, Some(0.2));
}

#[test]
fn a_stated_number_wins_over_words() {
    let c = one("Pollsters give the challenger a 70 percent chance of winning.");
    assert_eq!(c.probability, Some(0.7));
    assert!(c.probability_reason.contains("70 percent"));
    let c = one("Fifty-five of 82 economists said the central bank would hold rates.");
    assert!((c.probability.unwrap_or(0.0) - 55.0 / 82.0).abs() < 1e-9);
    let c = one("\"There is maybe a one in three chance that talks collapse,\" she said.");
    assert!((c.probability.unwrap_or(0.0) - 1.0 / 3.0).abs() < 1e-9);
    // A forecast quantity is not a probability.
    let c = one("The agency expects output to grow 22% next year.");
    assert_eq!(c.probability, Some(0.75));
}

#[test]
fn negated_forecasts_keep_the_positive_event() {
    let c = one("It is highly unlikely that the senator will resign, aides said.");
    assert_eq!(c.proposition.statement, "The senator resigns.");
    let c = one("\"The possibility of a ceasefire this month is slim,\" a mediator said.");
    assert_eq!(c.proposition.statement, "There is a ceasefire this month.");
    assert_eq!(c.probability, Some(0.15));
    assert!(c.proposition.slug.is_none() && c.proposition.alternatives.is_empty());
}

#[test]
fn two_forecasts_in_one_sentence_are_two_candidates() {
    let found = read(
        "\"The chance of a deal this week is slim, and talks will likely resume in May,\" said Lea Novak.",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].probability, Some(0.15));
    assert_eq!(found[1].scale_term.as_deref(), Some("likely"));
    assert!(found.iter().all(|c| speaker(c) == "Lea Novak"));
    let found =
        read("Omar Haddad believes that while a strike is unlikely, wages will probably rise.");
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn a_quotation_continued_after_she_said_keeps_its_speaker() {
    let found = read("“Prices will rise,” Ines Moreau said, “and rents could follow.”");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|c| speaker(c) == "Ines Moreau" && c.attribution == Attribution::Direct)
    );
}

#[test]
fn a_quotation_spanning_sentences_has_one_speaker() {
    let text = "\"Growth will slow. Unemployment will probably rise too,\" said Petra Lind.";
    let found = read(text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|c| speaker(c) == "Petra Lind"));
    assert_eq!(
        found[1].sentence,
        "Unemployment will probably rise too,\" said Petra Lind."
    );
}

#[test]
fn a_quotation_paragraph_after_a_quotation_keeps_the_speaker() {
    let text =
        "\"The market is cooling,\" said Ivo Petrov.\n\n\"Prices will fall by a tenth next year.\"";
    assert_eq!(speaker(&one(text)), "Ivo Petrov");
}

#[test]
fn odd_input_never_panics() {
    let big_sentence = "will said \"may ".repeat(70_000);
    let big_text = "The bank will probably cut rates, analysts said. \"It may rise,\" he said.\n"
        .repeat(14_000);
    let inputs: Vec<String> = vec![
        String::new(),
        "\"".into(),
        "\"\"\"".into(),
        "“”“”‘’''".into(),
        "\"unbalanced will happen, she said".into(),
        "”Closing first, he said. “Open".into(),
        "😀 will 🚀 may 😀. \"🚀,\" he said.".into(),
        "北京将会下调利率。“可能，”他说。".into(),
        "Le gouvernement va probablement céder, a dit M. Dupont.".into(),
        "\u{0}\u{1}\r\n\r\n\t will \u{200b} may".into(),
        "A. B. C. D. E. F. Mr. Dr. U.S. p.m. a.m.".into(),
        "e\u{301} will e\u{301}, said e\u{301}.".into(),
        "according to".into(),
        "said said said said, he said, she said, they said.".into(),
        "55 of 0 economists said 300% chance one in zero chance".into(),
        big_sentence,
        big_text,
    ];
    for input in &inputs {
        let started = std::time::Instant::now();
        let found = read(input);
        assert!(
            started.elapsed().as_secs() < 30,
            "slow on {} bytes",
            input.len()
        );
        for c in &found {
            assert!(input.is_char_boundary(c.start) && input.is_char_boundary(c.end));
            assert!(c.probability.is_none_or(|p| (0.0..=1.0).contains(&p)));
        }
    }
}

mod properties {
    use proptest::prelude::*;

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("will".to_string()),
            Just("said".to_string()),
            Just("\"".to_string()),
            Just("“".to_string()),
            Just("”".to_string()),
            Just("'".to_string()),
            Just(". ".to_string()),
            Just(", ".to_string()),
            Just("\n".to_string()),
            Just("likely to".to_string()),
            Just("according to".to_string()),
            Just("Lim Eul-chul".to_string()),
            Just("he".to_string()),
            Just("20%".to_string()),
            Just("chance".to_string()),
            Just(" ".to_string()),
            "\\PC{0,6}",
        ]
    }

    proptest! {
        #[test]
        fn quotes_are_always_the_text_at_their_offsets(parts in proptest::collection::vec(token(), 0..60)) {
            let text = parts.join(" ");
            for c in super::extract(&text, &super::scales()) {
                prop_assert_eq!(text.get(c.start..c.end), Some(c.quote.as_str()));
                prop_assert!(c.probability.is_none_or(|p| (0.0..=1.0).contains(&p)));
            }
        }
    }
}

#[test]
fn a_hedge_before_the_modal_and_odds_before_the_number() {
    let c = one("Analysts said the bank likely will cut rates in June.");
    assert_eq!(c.scale_term.as_deref(), Some("likely"));
    assert_eq!(c.proposition.statement, "The bank cuts rates in June.");
    let c = one("Traders put the odds of a cut at one in three, a broker said.");
    assert!((c.probability.unwrap_or(0.0) - 1.0 / 3.0).abs() < 1e-9);
}

#[test]
fn a_cleft_what_is_not_a_question() {
    let c = one("\"What I can say is that the bridge will reopen in May,\" said Tom Reed.");
    assert_eq!(speaker(&c), "Tom Reed");
    assert!(c.probability.is_some_and(|p| p > 0.85));
}

#[test]
fn a_subject_that_denies_the_clause_mirrors_the_hedge() {
    let c = one("\"Nobody is going to buy a car at that price,\" said Tom Reed.");
    assert!(
        c.probability.is_some_and(|p| p < 0.15),
        "{:?}",
        c.probability
    );
    let c = one("\"No one will take the offer,\" said Tom Reed.");
    assert!(
        c.probability.is_some_and(|p| p < 0.15),
        "{:?}",
        c.probability
    );
}

#[test]
fn an_unnamed_institution_after_the_speaker_noun() {
    let c = one("\"Prices will rise next year,\" said a grain trader at a regional bank in Leeds.");
    assert_eq!(speaker(&c), "a grain trader at a regional bank in Leeds");
    assert_eq!(c.attribution, Attribution::Direct);
}

#[test]
fn the_other_and_a_count_of_them_are_speakers() {
    let found = read(
        "One of the engineers said the dam would hold. The other said the road was likely to flood.",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(speaker(&found[1]), "The other");
    let c = one("Twelve of them expect the mill to close in May.");
    assert_eq!(speaker(&c), "Twelve of them");
}
