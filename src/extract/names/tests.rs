use super::*;

fn expert(slug: &str, name: &str, aliases: &[&str]) -> KnownExpert {
    KnownExpert {
        slug: slug.to_string(),
        name: name.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        affiliation: None,
    }
}

fn same(a: &str, b: &str) -> bool {
    spelling_key(a) == spelling_key(b)
}

#[test]
fn korean_romanisations_meet() {
    // Each pair with what tells its spellings apart, where one thing does.
    for (a, b, differs) in [
        ("Joh Han-beom", "Cho Han-bum", ""),
        ("Lim Eul-chul", "Lim Eul-chol", ""),
        ("Jang Ho", "Chang Ho", "j/ch"),
        ("Jeong Min-ho", "Jung Min-ho", "eo/u"),
        ("Moon Jae-in", "Mun Jae-in", "oo/u"),
        ("Bae Ki-hyun", "Pae Ki-hyun", "b/p"),
        ("Jeh Sung-hoon", "Je Sung-hun", "final h"),
        ("Kim Sung-bae", "Kim Sung-be", "ae/e"),
        ("Kang Kyung-wha", "Gang Gyeong-hwa", "k/g, yeo/yu, wh/hw"),
        ("Doo Jin-ho", "Too Jin-ho", "t/d"),
        ("Shin Won-sik", "Sin Won-sik", "s/sh"),
        ("Kim Ra-mi", "Kim La-mi", "l/r"),
        ("Hyun Seung-soo", "Hyeon Seong-su", "eu/eo/u"),
        ("Kim Jong-un", "Kim Jŏng-ŭn", "McCune-Reischauer breves"),
    ] {
        assert!(same(a, b), "{a} = {b}: {differs}");
    }
}

#[test]
fn hyphens_spaces_and_case_are_ignored() {
    assert!(same("Joh Han-beom", "joh hanbeom"));
    assert!(same("Joh Han-beom", "JOH HAN BEOM"));
    assert!(same("Kim Jong Un", "Kim Jong-un"));
}

#[test]
fn korean_surname_variants_meet() {
    for (a, b) in [
        ("Lee Jae-myung", "Yi Jae-myung"),
        ("Lee Jae-myung", "Rhee Jae-myung"),
        ("Park Ji-won", "Pak Ji-won"),
        ("Kim Yo-jong", "Gim Yo-jong"),
        ("Choi Kang", "Choe Kang"),
        ("Choi Kang", "Ch'oe Kang"),
        ("Jung Eun-bo", "Chung Eun-bo"),
        ("Jung Eun-bo", "Jeong Eun-bo"),
        ("Lim Eul-chul", "Im Eul-chul"),
        ("Roh Moo-hyun", "Noh Mu-hyeon"),
        ("Ryu Hyun-woo", "Yoo Hyun-woo"),
    ] {
        assert!(same(a, b), "{a} = {b}");
    }
}

#[test]
fn transliterations_meet() {
    for (a, b) in [
        ("Yuri Ushakov", "Yury Ushakov"),
        ("Yuri Ushakov", "Iouri Ushakov"),
        ("Yuri Ushakov", "Yuriy Ushakov"),
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Sergei Lavrov", "Sergej Lawrow"),
        ("Aleksandr Lukashenko", "Alexander Lukashenko"),
        ("Alexei Navalny", "Aleksey Navalnyy"),
        ("Dmitry Peskov", "Dmitri Peskov"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskiy"),
        ("Volodymyr Zelensky", "Wolodymyr Zelenskij"),
        ("Sergei Sergeyev", "Sergei Sergeev"),
        ("Igor Nikolayev", "Igor Nikolaev"),
        ("Natalia Ivanova", "Natalya Ivanova"),
        ("Yevgeny Prigozhin", "Evgeny Prigozhin"),
        ("Fyodor Lukyanov", "Fedor Lukyanov"),
        ("Mohammed bin Salman", "Muhammad bin Salman"),
        ("Mohamed ElBaradei", "Muhammad ElBaradei"),
        ("Ahmed Aboul Gheit", "Ahmad Aboul Gheit"),
        ("Bashar al-Assad", "Bashar el Assad"),
        ("Muammar Gaddafi", "Moammar Qadhafi"),
        ("Saddam Hussein", "Saddam Husayn"),
        ("Recep Erdoğan", "Recep Erdogan"),
        ("Vladimir Smirnoff", "Vladimir Smirnov"),
    ] {
        assert!(
            same(a, b),
            "{a} = {b}: {} vs {}",
            spelling_key(a),
            spelling_key(b)
        );
    }
}

#[test]
fn different_people_keep_different_keys() {
    for (a, b) in [
        ("Kim Jong-won", "Kim Sung-bae"),
        ("Kim Jong-won", "Kim Jong-un"),
        ("Park Ji-won", "Park Ji-hoon"),
        ("Lim Eul-chul", "Lee Eul-chul"),
        ("Joh Han-beom", "Jeh Sung-hoon"),
        ("Yuri Ushakov", "Yulia Ushakova"),
        ("Sergei Lavrov", "Sergei Ryabkov"),
        ("Dmitry Peskov", "Dmitry Medvedev"),
        ("John Smith", "John Smit"),
        ("Kim Jong-un", "Jong-un Kim"),
    ] {
        assert!(!same(a, b), "{a} ≠ {b}: both {}", spelling_key(a));
    }
}

#[test]
fn name_key_ignores_case_spacing_punctuation_and_titles() {
    assert_eq!(name_key("Joh Han-beom"), "johhanbeom");
    assert_eq!(name_key("Mr. Joh Han-beom"), "johhanbeom");
    assert_eq!(name_key("joh-han-beom"), "johhanbeom");
    assert_eq!(name_key("Asmolov's"), "asmolov");
    assert_eq!(name_key("Gen. Martin E. Dempsey Jr."), "martinedempsey");
    assert_eq!(name_key("Conor O\u{2019}Brien"), "conorobrien");
    assert_eq!(name_key(""), "");
    assert_eq!(name_key(" -- . "), "");
}

fn seed_experts() -> Vec<KnownExpert> {
    vec![
        expert("joh-han-beom", "Joh Han-beom", &["Cho Han-bum"]),
        expert("lim-eul-chul", "Lim Eul-chul", &[]),
        expert("kim-jong-won", "Kim Jong-won", &[]),
        expert("kim-sung-bae", "Kim Sung-bae", &[]),
        expert("konstantin-asmolov", "Konstantin Asmolov", &[]),
        expert("yuri-ushakov", "Yuri Ushakov", &[]),
        expert("hyun-seung-soo", "Hyun Seung-soo", &[]),
    ]
}

#[test]
fn exact_by_slug_name_or_alias() {
    let index = ExpertIndex::new(&seed_experts());
    for printed in [
        "Joh Han-beom",
        "joh-han-beom",
        "Cho Han-bum",
        "CHO HAN BUM",
        "Dr. Joh Hanbeom",
    ] {
        let found = index.matches(printed);
        assert_eq!(found.exact.as_deref(), Some("joh-han-beom"), "{printed}");
        assert!(
            found.alternatives.is_empty(),
            "{printed}: {:?}",
            found.alternatives
        );
    }
}

#[test]
fn other_spellings_are_alternatives_not_exact() {
    let experts = vec![expert("joh-han-beom", "Joh Han-beom", &[])];
    let found = match_expert("Cho Han-bum", &experts);
    assert_eq!(found.exact, None);
    assert_eq!(found.alternatives, ["joh-han-beom"]);
    let found = match_expert("Lim Eul-chol", &seed_experts());
    assert_eq!(found.exact, None);
    assert_eq!(found.alternatives, ["lim-eul-chul"]);
    let found = match_expert("Yury Ushakov", &seed_experts());
    assert_eq!(found.alternatives, ["yuri-ushakov"]);
}

#[test]
fn different_people_are_not_alternatives() {
    let index = ExpertIndex::new(&seed_experts());
    assert_eq!(
        index.matches("Kim Sung-bae").exact.as_deref(),
        Some("kim-sung-bae")
    );
    assert!(index.matches("Kim Sung-bae").alternatives.is_empty());
    assert_eq!(index.matches("Kim Jong-un"), ExpertMatch::default());
    assert_eq!(index.matches("Lee Eul-chul"), ExpertMatch::default());
    assert_eq!(index.matches(""), ExpertMatch::default());
    assert_eq!(index.matches("  ,. "), ExpertMatch::default());
}

#[test]
fn reversed_order_is_an_alternative() {
    let experts = vec![
        expert("kim-jong-un", "Kim Jong-un", &[]),
        expert("yuri-ushakov", "Yuri Ushakov", &[]),
    ];
    assert_eq!(
        match_expert("Jong-un Kim", &experts).alternatives,
        ["kim-jong-un"]
    );
    assert_eq!(
        match_expert("Jong Un Kim", &experts).alternatives,
        ["kim-jong-un"]
    );
    assert_eq!(
        match_expert("Ushakov Yury", &experts).alternatives,
        ["yuri-ushakov"]
    );
}

#[test]
fn a_lone_surname_is_offered_when_only_one_expert_bears_it() {
    let index = ExpertIndex::new(&seed_experts());
    assert_eq!(
        index.matches("Mr. Asmolov").alternatives,
        ["konstantin-asmolov"]
    );
    assert_eq!(
        index.matches("Asmolov's").alternatives,
        ["konstantin-asmolov"]
    );
    assert_eq!(index.matches("Mr. Lim").alternatives, ["lim-eul-chul"]);
    assert_eq!(index.matches("Mr. Joh").alternatives, ["joh-han-beom"]);
    // Two Kims on record: "Mr. Kim" could be either, so neither is offered.
    assert!(index.matches("Mr. Kim").alternatives.is_empty());
    assert!(index.matches("Mr. Smith").alternatives.is_empty());
}

#[test]
fn one_name_two_experts_is_not_exact() {
    let experts = vec![
        expert("kim-min-ho-kida", "Kim Min-ho", &[]),
        expert("kim-min-ho-kinu", "Kim Minho", &[]),
    ];
    let found = match_expert("Kim Min-ho", &experts);
    assert_eq!(found.exact, None);
    assert_eq!(found.alternatives, ["kim-min-ho-kida", "kim-min-ho-kinu"]);
}

#[test]
fn alternatives_are_ranked_deduplicated_and_capped() {
    let mut experts: Vec<KnownExpert> = (0..8)
        .map(|i| expert(&format!("cho-han-bum-{i}"), "Cho Han-bum", &["Jo Han-beom"]))
        .collect();
    experts.push(expert("joh-han-beom", "Joh Han-beom", &[]));
    experts.push(expert("han-beom-joh", "Hanbeom Joh", &[]));
    let found = match_expert("Joh Han-beom", &experts);
    assert_eq!(found.exact.as_deref(), Some("joh-han-beom"));
    assert_eq!(found.alternatives.len(), MAX_ALTERNATIVES);
    let mut unique = found.alternatives.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), found.alternatives.len());
    assert!(!found.alternatives.contains(&"joh-han-beom".to_string()));
    assert!(
        !found.alternatives.contains(&"han-beom-joh".to_string()),
        "reversed ranks last"
    );

    let experts = vec![
        expert("cho-han-bum", "Cho Han-bum", &[]),
        expert("joh-han-bum", "Joh Han-bum", &[]),
        expert("beom-joh-han", "Han-beom Joh", &[]),
    ];
    let found = match_expert("Joh Han-beom", &experts);
    assert_eq!(
        found.alternatives,
        ["joh-han-bum", "cho-han-bum", "beom-joh-han"]
    );
}

#[test]
fn ten_thousand_experts_index_once() {
    let experts: Vec<KnownExpert> = (0..10_000)
        .map(|i| {
            expert(
                &format!("expert-{i}"),
                &format!("Given{i} Surname{i}"),
                &[&format!("G{i} S{i}")],
            )
        })
        .collect();
    let index = ExpertIndex::new(&experts);
    assert_eq!(index.len(), 10_000);
    for i in 0..50 {
        assert_eq!(
            index.matches(&format!("given{i} surname{i}")).exact,
            Some(format!("expert-{i}"))
        );
    }
    assert_eq!(index.matches("Mr. Surname42").alternatives, ["expert-42"]);
}

#[test]
fn the_seed_speakers_meet_only_their_own_spellings() {
    let speakers = [
        "Lim Eul-chul",
        "Jeh Sung-hoon",
        "Hyun Seung-soo",
        "Yang Moo-jin",
        "Kim Sung-bae",
        "Kim Jong-won",
        "Doo Jin-ho",
        "Joh Han-beom",
        "Konstantin Asmolov",
        "Kim Jong-un",
        "Vladimir Putin",
        "Yuri Ushakov",
    ];
    for (i, a) in speakers.iter().enumerate() {
        for b in speakers.iter().skip(i + 1) {
            assert!(!same(a, b), "{a} and {b} share {}", spelling_key(a));
        }
    }
    assert!(same("Joh Han-beom", "Cho Han-bum"));
}

proptest::proptest! {
    #[test]
    fn any_name_is_matched_without_panic(printed in "\\PC{0,40}", name in "\\PC{0,40}") {
        let experts = vec![expert("x", &name, &[&printed])];
        let found = match_expert(&printed, &experts);
        proptest::prop_assert!(found.alternatives.len() <= MAX_ALTERNATIVES);
        proptest::prop_assert!(!found.alternatives.iter().any(|slug| Some(slug) == found.exact.as_ref()));
        let _ = spelling_key(&printed);
    }
}
