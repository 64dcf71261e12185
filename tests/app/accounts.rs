//! Accounts and sessions (issue 17, OWASP ASVS 5.0 L2): password strength, changing a
//! password, one-time links, disabling, what a session keeps, time-outs, and two-factor sign-in.

use axum::http::StatusCode;
use hindsight::db::accounts;
use hindsight::domain::Role;

use crate::helpers::{
    Page, TEST_PASSWORD, TestApp, attribute, demo_with_analyst, named, select, spawn_app,
    spawn_app_with, spawn_empty_app,
};

async fn account_id(app: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM analysts WHERE username = $1")
        .bind(username)
        .fetch_one(&app.db.read)
        .await
        .unwrap()
}

/// The code an authenticator app shows for `secret` (base32), `steps` periods of 30 s from now.
pub fn totp_code(secret: &str, steps: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_string())
        .to_bytes()
        .unwrap();
    let totp = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some("Hindsight".into()),
        "test".into(),
    )
    .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now + 30 * steps)
}

/// What the password form answers `session` with (current password, new one, its confirmation).
async fn change_password(
    app: &TestApp,
    session: &str,
    [current, password, confirm]: [&str; 3],
) -> Page {
    let fields = named(
        ["current", "password", "confirm"],
        [current, password, confirm],
    );
    app.post_as(session, "/account/password", &fields).await
}

/// The active account called `username`, if there is one.
async fn active(app: &TestApp, username: &str) -> Option<accounts::Account> {
    accounts::active_by_username(&app.db, username)
        .await
        .unwrap()
}

#[tokio::test]
async fn weak_passwords_and_ones_holding_the_username_are_refused() {
    let app = spawn_empty_app().await;
    let (_, token) = app
        .account_to_set_up("ada", "Ada Lovelace", Role::Analyst)
        .await;
    let link = format!("/setup/{token}");
    for (password, says) in [
        ("aaaaaaaaaaaa", "too easy to guess"),
        ("password1234", "too easy to guess"),
        ("lovelace12345", "too easy to guess"),
        (
            "I am ADA, the analyst of note",
            "must not contain your username",
        ),
        ("short", "at least 12 characters"),
    ] {
        let page = app.choose_password(&link, password).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        let message = select(&page.html(), "#password-error").join(" ");
        assert!(message.contains(says), "{password}: {message}");
    }
    let hash: Option<String> = app
        .scalar("SELECT password_hash FROM analysts WHERE username = 'ada'")
        .await;
    assert!(hash.is_none(), "no weak password was stored");
    let done = app.choose_password(&link, TEST_PASSWORD).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "a passphrase is fine");
}

#[tokio::test]
async fn an_analyst_changes_their_password_and_their_other_sessions_end() {
    let app = spawn_app().await;
    let old = app.add_account("mia", Role::Analyst).await;
    let here = app.sign_in("mia", &old).await;
    let elsewhere = app.sign_in("mia", &old).await;
    let desk = app.get_as("/analyst", Some(&here)).await;
    assert_eq!(
        attribute(&desk.html(), ".analyst-bar a[href='/account']", "href"),
        "/account",
        "the analyst bar links to the account page"
    );
    let page = app.get_as("/account", Some(&here)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        select(&page.html(), "form[action='/account/password']").len(),
        1
    );

    let new = "seven quiet otters read maps";
    let wrong = change_password(&app, &here, ["not my password at all", new, new]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(select(&wrong.html(), "#current-error").len(), 1);
    let weak = change_password(&app, &here, [&old, "password1234", "password1234"]).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(select(&weak.html(), "#password-error")[0].contains("too easy to guess"));
    let mismatch = change_password(&app, &here, [&old, new, "something else"]).await;
    assert_eq!(select(&mismatch.html(), "#confirm-error").len(), 1);
    assert!(active(&app, "mia").await.is_some());

    let changed = change_password(&app, &here, [&old, new, new]).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(
        select(&changed.html(), ".issued")
            .join(" ")
            .contains("other sessions have ended")
    );
    // This session goes on (with a new id); the other one has ended.
    let here = changed.session_cookie().unwrap_or(here);
    assert_eq!(app.status_as("/analyst", &here).await, StatusCode::OK);
    let other = app.get_as("/analyst", Some(&elsewhere)).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    assert!(other.location().starts_with("/login"));
    let with_old = app.login("mia", &old).await;
    assert_eq!(with_old.status, StatusCode::UNAUTHORIZED);
    let hash = accounts::by_id(&app.db, account_id(&app, "mia").await)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    assert!(hindsight::accounts::verify_password(new, &hash));
}

#[tokio::test]
async fn a_newer_password_link_revokes_every_older_one() {
    let app = spawn_app().await;
    let admin_password = app.add_account("nia", Role::Admin).await;
    let admin = app.sign_in("nia", &admin_password).await;
    let (id, first) = app.account_to_set_up("oli", "Oli", Role::Analyst).await;
    let mut links = vec![format!("/setup/{first}")];
    for _ in 0..2 {
        let issued = app
            .post_as(&admin, &format!("/admin/analysts/{id}/reset"), &[])
            .await;
        assert_eq!(issued.status, StatusCode::OK);
        let link = select(&issued.html(), ".issued code")[0].clone();
        links.push(
            link.trim_start_matches(crate::helpers::PUBLIC_URL)
                .to_string(),
        );
    }
    for old in &links[..2] {
        assert_eq!(
            app.get(old).await.status,
            StatusCode::NOT_FOUND,
            "an older link stops working once a newer one is issued"
        );
    }
    let newest = &links[2];
    app.get_ok(newest).await;
    let used = app.choose_password(newest, TEST_PASSWORD).await;
    assert_eq!(used.status, StatusCode::SEE_OTHER);
    let unused = "analyst_id = $1 AND used_at IS NULL";
    assert_eq!(
        app.count_where("setup_tokens", unused, id).await,
        0,
        "no link of the account is left working"
    );
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_for_good() {
    let app = spawn_app().await;
    let password = app.add_account("pat", Role::Analyst).await;
    let session = app.sign_in("pat", &password).await;
    let admin_password = app.add_account("quin", Role::Admin).await;
    let admin = app.sign_in("quin", &admin_password).await;
    let id = account_id(&app, "pat").await;
    assert_eq!(app.status_as("/analyst", &session).await, StatusCode::OK);
    app.post_as(&admin, &format!("/admin/analysts/{id}/disable"), &[])
        .await;
    app.assert_not_signed_in(&session).await;
    app.post_as(&admin, &format!("/admin/analysts/{id}/enable"), &[])
        .await;
    let revived = app.get_as("/analyst", Some(&session)).await;
    assert_eq!(
        revived.status,
        StatusCode::SEE_OTHER,
        "the old cookie does not come back to life when the account is enabled again"
    );
    app.sign_in("pat", &password).await;
}

#[tokio::test]
async fn the_session_record_holds_no_password_hash() {
    let (app, session) = demo_with_analyst("rae").await;
    assert_eq!(app.status_as("/analyst", &session).await, StatusCode::OK);
    let records: Vec<Vec<u8>> = sqlx::query_scalar("SELECT data FROM tower_sessions")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    assert!(!records.is_empty());
    let hash: String = app
        .scalar("SELECT password_hash FROM analysts WHERE username = 'rae'")
        .await;
    let salt_and_hash = hash.rsplit('$').next().unwrap().as_bytes().to_vec();
    for record in records {
        let holds = |needle: &[u8]| record.windows(needle.len()).any(|w| w == needle);
        assert!(!holds(b"$argon2id"), "no password hash in the session");
        assert!(!holds(&salt_and_hash), "no part of it either");
    }
}

/// tower-sessions stores a session, and so pushes back its idle expiry, only when it changed:
/// a signed-in request must mark it (here at every request; by default every 5 minutes), and the
/// absolute time-out still ends it.
#[tokio::test]
async fn activity_extends_the_idle_time_out_until_the_absolute_one() {
    let app = spawn_app_with(|options| {
        options.sessions.touch_every = chrono::Duration::zero();
        options.sessions.absolute = chrono::Duration::seconds(2);
    })
    .await;
    let session = app.analyst("sol").await;
    let expiry = || async {
        let expiry: String = app.scalar("SELECT expiry_date FROM tower_sessions").await;
        expiry
    };
    let at_sign_in = expiry().await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.status_as("/analyst", &session).await, StatusCode::OK);
    let after_activity = expiry().await;
    assert!(
        after_activity > at_sign_in,
        "activity pushes the stored expiry back: {at_sign_in} then {after_activity}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let late = app.get_as("/analyst", Some(&session)).await;
    assert_eq!(
        late.status,
        StatusCode::SEE_OTHER,
        "ended by the absolute time-out"
    );
}

#[tokio::test]
async fn by_default_a_session_is_stored_again_at_most_every_few_minutes() {
    let (app, session) = demo_with_analyst("tam").await;
    let before: String = app.scalar("SELECT expiry_date FROM tower_sessions").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.status_as("/analyst", &session).await, StatusCode::OK);
    let after: String = app.scalar("SELECT expiry_date FROM tower_sessions").await;
    assert_eq!(
        before, after,
        "reading a page right after sign-in writes nothing"
    );
}

/// Turns two-factor sign-in on for the signed-in `session`; the secret, the recovery codes, and
/// the session's new cookie.
pub async fn enrol(app: &TestApp, session: &str) -> (String, Vec<String>, String) {
    let started = app.post_as(session, "/account/two-factor/start", &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let page = app.get_as("/account/two-factor", Some(session)).await;
    let html = page.html();
    let secret = select(&html, "code.secret")[0].replace(' ', "");
    assert!(attribute(&html, "img.qr", "src").starts_with("data:image/svg+xml,"));
    assert!(select(&html, "code.url")[0].starts_with("otpauth://totp/Hindsight:"));
    let wrong = app
        .post_as(
            session,
            "/account/two-factor/confirm",
            &[("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .post_as(
            session,
            "/account/two-factor/confirm",
            &[("code", &totp_code(&secret, 0))],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes = select(&done.html(), ".recovery-codes code");
    assert_eq!(codes.len(), 10);
    let cookie = done.session_cookie().unwrap_or_else(|| session.to_string());
    (secret, codes, cookie)
}

/// The password step; the cookie of the session waiting for its code.
async fn password_step(app: &TestApp, username: &str) -> String {
    let page = app
        .post_form(
            "/login",
            None,
            &[
                ("username", username),
                ("password", TEST_PASSWORD),
                ("next", "/analyst"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login/two-factor");
    page.session_cookie().unwrap()
}

async fn code_step(app: &TestApp, pending: &str, code: &str) -> crate::helpers::Page {
    app.post_as(pending, "/login/two-factor", &[("code", code)])
        .await
}

#[tokio::test]
async fn two_factor_sign_in_takes_a_right_code_once_and_the_password_alone_grants_nothing() {
    let (app, session) = demo_with_analyst("uli").await;
    let (secret, _, session) = enrol(&app, &session).await;
    assert_eq!(app.status_as("/analyst", &session).await, StatusCode::OK);

    let pending = password_step(&app, "uli").await;
    for uri in ["/analyst", "/account", "/account/two-factor"] {
        let page = app.get_as(uri, Some(&pending)).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{uri}: the password alone is not enough"
        );
        assert!(page.location().starts_with("/login"), "{uri}");
    }
    assert_eq!(
        app.status_as("/login/two-factor", &pending).await,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/login/two-factor").await.status,
        StatusCode::SEE_OTHER,
        "no second step without the first"
    );

    let wrong = code_step(&app, &pending, "123456").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(select(&wrong.html(), ".form-error")[0].contains("not right"));
    app.assert_not_signed_in(&pending).await;

    // The enrolment used the current step's code: the next step's code signs in.
    let code = totp_code(&secret, 1);
    let right = code_step(&app, &pending, &code).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.location(), "/analyst");
    let signed_in = right.session_cookie().unwrap();
    assert_ne!(signed_in, pending, "a new session id at sign-in");
    assert_eq!(app.status_as("/analyst", &signed_in).await, StatusCode::OK);

    // The same code again, in a new sign-in, is refused.
    let again = password_step(&app, "uli").await;
    let replayed = code_step(&app, &again, &code).await;
    assert_eq!(
        replayed.status,
        StatusCode::UNAUTHORIZED,
        "a used code never works twice"
    );
    app.assert_not_signed_in(&again).await;
}

#[tokio::test]
async fn a_recovery_code_works_once_and_wrong_codes_send_back_to_the_password() {
    let (app, session) = demo_with_analyst("val").await;
    let (_, codes, _) = enrol(&app, &session).await;

    let first = password_step(&app, "val").await;
    let used = code_step(&app, &first, &codes[3].to_uppercase()).await;
    assert_eq!(used.status, StatusCode::SEE_OTHER, "{}", used.body);
    let cookie = used.session_cookie().unwrap();
    let left = app.get_as("/account/two-factor", Some(&cookie)).await;
    assert_eq!(select(&left.html(), ".lead .num"), vec!["9"]);

    let second = password_step(&app, "val").await;
    let twice = code_step(&app, &second, &codes[3]).await;
    assert_eq!(
        twice.status,
        StatusCode::UNAUTHORIZED,
        "a recovery code works once"
    );

    // Five wrong codes in all and the password is asked for again.
    for _ in 0..4 {
        code_step(&app, &second, "999999").await;
    }
    let gone = code_step(&app, &second, &codes[4]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(gone.location(), "/login");
    app.assert_not_signed_in(&second).await;
}

#[tokio::test]
async fn turning_two_factor_off_takes_the_password() {
    let (app, session) = demo_with_analyst("wes").await;
    let (_, _, session) = enrol(&app, &session).await;
    let refused = app
        .post_as(
            &session,
            "/account/two-factor/off",
            &[("password", "not the password at all")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(active(&app, "wes").await.unwrap().two_factor);
    let off = app
        .post_as(
            &session,
            "/account/two-factor/off",
            &[("password", TEST_PASSWORD)],
        )
        .await;
    assert_eq!(off.status, StatusCode::OK);
    assert!(!active(&app, "wes").await.unwrap().two_factor);
    app.sign_in("wes", TEST_PASSWORD).await;
    let page = app
        .post_form(
            "/login",
            None,
            &[
                ("username", "wes"),
                ("password", TEST_PASSWORD),
                ("next", "/analyst"),
            ],
        )
        .await;
    assert_eq!(
        page.location(),
        "/analyst",
        "the password alone signs in again"
    );
}

#[tokio::test]
async fn with_the_flag_an_admin_enrols_before_any_admin_page_works() {
    let app = spawn_app_with(|options| options.sessions.require_admin_two_factor = true).await;
    let password = app.add_account("xia", Role::Admin).await;
    let admin = app.sign_in("xia", &password).await;
    for uri in ["/admin/analysts", "/analyst"] {
        let page = app.get_as(uri, Some(&admin)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(page.location(), "/account/two-factor", "{uri}");
    }
    let refused = app.admin_adds(&admin, "zed", "Zed", "admin").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(active(&app, "zed").await.is_none());
    let page = app.get_as("/account/two-factor", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(select(&page.html(), ".form-error")[0].contains("requires admins"));
    let (_, _, admin) = enrol(&app, &admin).await;
    assert_eq!(
        app.status_as("/admin/analysts", &admin).await,
        StatusCode::OK
    );
    // Analysts are not held to it.
    let analyst = app.analyst("yan").await;
    assert_eq!(app.status_as("/analyst", &analyst).await, StatusCode::OK);
}

/// The security log names sign-ins, failures and account changes, and never a password.
#[tokio::test]
async fn sign_ins_and_account_changes_are_logged_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hindsight.db").display());
    let db = hindsight::db::Database::connect(&url).await.unwrap();
    crate::binary::add_analyst(&db, "kai", TEST_PASSWORD).await;
    db.close().await;
    let (mut server, http) = crate::binary::start(crate::binary::Launch {
        log: "info",
        ..crate::durability::demo_server(&url, std::process::Stdio::piped())
    })
    .await;
    let wrong = "a wrong guess of a password";
    let (status, _) = http
        .post_form(
            "/login",
            None,
            &[("username", "kai\nforged line"), ("password", wrong)],
        )
        .await;
    assert_eq!(status, 401);
    let cookie = crate::binary::sign_in(&http, "kai", TEST_PASSWORD).await;
    let new = "seven quiet otters read maps";
    let (status, _) = http
        .post_form(
            "/account/password",
            Some(&cookie),
            &[
                ("current", TEST_PASSWORD),
                ("password", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let log = server.stop_and_read_log();
    let security: Vec<&String> = log.iter().filter(|l| l.contains("security")).collect();
    let find = |what: &str| {
        security
            .iter()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no security line says {what}: {log:#?}"))
            .to_string()
    };
    let failed = find("sign-in failed");
    assert!(
        failed.contains("kai?forged?line") && failed.contains("127.0.0.1"),
        "{failed}"
    );
    assert!(find("signed in").contains("username=kai"));
    assert!(find("password changed").contains("username=kai"));
    assert!(
        !log.iter().any(|l| l.contains("forged line")),
        "a typed name cannot forge a line"
    );
    for secret in [wrong, TEST_PASSWORD, new] {
        assert!(
            !log.iter().any(|l| l.contains(secret)),
            "no password in the log"
        );
    }
}

#[tokio::test]
async fn an_admin_turns_off_two_factor_for_someone_who_lost_their_device() {
    let (app, session) = demo_with_analyst("ida").await;
    let (_, _, session) = enrol(&app, &session).await;
    let admin_password = app.add_account("jem", Role::Admin).await;
    let admin = app.sign_in("jem", &admin_password).await;
    let listed = app.get_as("/admin/analysts", Some(&admin)).await;
    let id = account_id(&app, "ida").await;
    let action = format!("/admin/analysts/{id}/two-factor-off");
    assert_eq!(
        select(&listed.html(), &format!("form[action='{action}']")).len(),
        1
    );
    let off = app.post_as(&admin, &action, &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.status_as("/analyst", &session).await,
        StatusCode::SEE_OTHER,
        "their sessions end"
    );
    let page = app
        .post_form(
            "/login",
            None,
            &[
                ("username", "ida"),
                ("password", TEST_PASSWORD),
                ("next", "/analyst"),
            ],
        )
        .await;
    assert_eq!(page.location(), "/analyst", "the password alone signs in");
}
