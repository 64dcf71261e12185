use std::process::ExitCode;

use clap::Parser;

use hindsight::app::{App, Options};
use hindsight::config::{
    BackupArgs, Cli, Command, ExportArgs, GenerateArgs, ImportArgs, ServeArgs, UserArgs,
    UserCommand,
};
use hindsight::db::accounts;
use hindsight::db::{Database, dataset};
use hindsight::domain::Role;
use tracing_subscriber::EnvFilter;

/// The writer's page cache during an import from the shell: at a million predictions the
/// indexes outgrow the server's 64 MB, and every miss is a read from the file.
const IMPORT_CACHE_MB: u32 = 512;

/// glibc's allocator gives each thread its own arena and keeps what they free: under a soak
/// (readers and writers on many threads) the server grew from 109 MB to 354 MB in three
/// minutes. jemalloc hands freed memory back to the system. It also replaces `malloc` itself
/// (the `unprefixed_malloc_on_supported_platforms` feature), so SQLite's page cache uses it
/// too: glibc spent a seventh of a million-row import merging freed chunks.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const SETUP_LINK_VALID_FOR: chrono::Duration = chrono::Duration::hours(48);

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=error")),
        )
        // Colours for a person at a terminal; plain text for a file or a log collector.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Import(args)) => import(args).await,
        Some(Command::Generate(args)) => generate(args),
        Some(Command::User(args)) => user(args).await,
        Some(Command::Export(args)) => export(args).await,
        Some(Command::Backup(args)) => backup(args).await,
        Some(Command::Extract(args)) => hindsight::extraction::commands::extract(args).await,
        Some(Command::ExtractScore(args)) => {
            hindsight::extraction::commands::extract_score(args).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hindsight: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = Database::connect(&args.database.url).await?;
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let address = listener.local_addr()?;
    let public_url = args
        .public_url
        .unwrap_or_else(|| format!("http://{address}"));
    let mut options = Options::new(db.clone(), &public_url, args.static_dir);
    options.trusted_proxies = args.trusted_proxies;
    options.sessions.require_admin_two_factor = args.require_admin_two_factor;
    options.load_demo_if_empty = !args.no_demo;
    let App { state, router: app } = App::build(options).await?;
    let watcher = hindsight::web::cache::watch_for_outside_writes(db.clone(), state.pages.clone());
    state.standings.warm_in_background(db.clone());
    if !accounts::has_active_admin(&db).await? {
        let token = accounts::first_admin_token(&db, SETUP_LINK_VALID_FOR).await?;
        println!(
            "No admin account yet. Create the first one with this one-time link (valid 48 hours):"
        );
        println!("  {}/setup/{token}", state.public_url);
    }
    // Expired sessions are removed in the background; they are not records anyone reads.
    let sessions = tower_sessions_sqlx_store::SqliteStore::new(db.write.clone());
    let cleanup = tokio::spawn(
        tower_sessions::ExpiredDeletion::continuously_delete_expired(
            sessions,
            std::time::Duration::from_secs(600),
        ),
    );
    let limits =
        hindsight::server::Limits::new(args.max_connections.and_then(|n| usize::try_from(n).ok()));
    hindsight::server::warn_if_above_limit(limits.max_connections);
    println!(
        "Hindsight is serving at http://{address}/ (database {})",
        args.database.url
    );
    tracing::info!(
        max_connections = limits.max_connections,
        header_timeout = ?limits.header_timeout,
        "connection limits"
    );
    hindsight::server::serve(listener, app, limits, shutdown_signal()).await;
    cleanup.abort();
    watcher.stop().await;
    db.close().await;
    tracing::info!("database closed");
    Ok(())
}

async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let db = Database::connect(&args.database.url).await?;
    let file = hindsight::db::export::export(&db).await;
    db.close().await;
    let file = file?;
    let text = match args.format.as_str() {
        "json" => serde_json::to_string_pretty(&file)? + "\n",
        "csv" => hindsight::import::csv::write(&file)?,
        other => anyhow::bail!("--format must be json or csv, not {other}"),
    };
    match args.output {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

/// `hindsight user add NAME --role analyst|admin`: the account and a one-time link with which
/// its owner sets a password. No password is ever typed on a command line.
async fn user(args: UserArgs) -> anyhow::Result<()> {
    let UserCommand::Add {
        username,
        display_name,
        role,
        public_url,
        database,
    } = args.command;
    let role = Role::parse(&role)
        .ok_or_else(|| anyhow::anyhow!("--role must be analyst or admin, not {role}"))?;
    let mut errors = hindsight::web::forms::FieldErrors::default();
    hindsight::web::check_username(&mut errors, &username);
    if !errors.is_empty() {
        anyhow::bail!("NAME: {}", errors.of("username"));
    }
    let db = Database::connect(&database.url).await?;
    let display_name = display_name.unwrap_or_else(|| username.clone());
    let created = accounts::create(
        &db,
        &username,
        &display_name,
        role,
        None,
        SETUP_LINK_VALID_FOR,
    )
    .await;
    db.close().await;
    let (_, token) = created?;
    println!(
        "Added {username} ({}). Send them this one-time link to choose a password (valid 48 hours):",
        role.as_str()
    );
    println!("  {}/setup/{token}", public_url.trim_end_matches('/'));
    Ok(())
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?;
    let format = hindsight::import::Format::guess(&args.file.to_string_lossy(), &bytes);
    let db = Database::connect(&args.database.url).await?;
    db.set_writer_cache(IMPORT_CACHE_MB).await?;
    let started = std::time::Instant::now();
    let progress = ImportProgress::new();
    let outcome =
        dataset::import_bytes_with_progress(&db, &bytes, format, args.dry_run, None, &progress)
            .await;
    progress.bar.finish_and_clear();
    let elapsed = started.elapsed();
    db.close().await;
    match outcome {
        Ok(report) => {
            let verb = if report.dry_run {
                "would import"
            } else {
                "imported"
            };
            println!(
                "{verb} {} in {:.1} s ({}):",
                args.file.display(),
                elapsed.as_secs_f64(),
                progress.stage_times(started + elapsed)
            );
            for count in &report.counts {
                println!(
                    "  {:<13} {:>7} new {:>7} changed {:>7} unchanged",
                    count.kind, count.created, count.updated, count.unchanged
                );
            }
            Ok(())
        }
        Err(dataset::ApplyError::Invalid(errors)) => {
            for issue in &errors.0 {
                eprintln!("{}: {issue}", args.file.display());
            }
            anyhow::bail!("{} problem(s) found; nothing was imported", errors.0.len())
        }
        Err(other) => Err(other.into()),
    }
}

/// A bar on standard error while a large file is written; nothing when that is not a terminal.
/// It also keeps when each stage began, so the summary says where a slow import spent its time.
struct ImportProgress {
    bar: indicatif::ProgressBar,
    stages: std::sync::Mutex<Vec<(&'static str, std::time::Instant)>>,
}

impl ImportProgress {
    fn new() -> Self {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Self {
            bar,
            stages: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// "reading and checking 2.1 s, writing 8.0 s, committing 0.3 s", up to `ended`.
    fn stage_times(&self, ended: std::time::Instant) -> String {
        let stages = self
            .stages
            .lock()
            .map(|stages| stages.clone())
            .unwrap_or_default();
        let ends = stages.iter().skip(1).map(|(_, at)| *at).chain([ended]);
        stages
            .iter()
            .zip(ends)
            .map(|((what, began), end)| {
                format!("{what} {:.1} s", end.duration_since(*began).as_secs_f64())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl dataset::Progress for ImportProgress {
    fn stage(&self, what: &'static str) {
        if let Ok(mut stages) = self.stages.lock() {
            stages.push((what, std::time::Instant::now()));
        }
        self.bar.set_message(what);
    }

    fn predictions(&self, done: u64, total: u64) {
        if self.bar.length() != Some(total) {
            self.bar.set_length(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} {wide_bar} {pos}/{len} predictions ({per_sec}, {eta} left)",
            ) {
                self.bar.set_style(style);
            }
        }
        self.bar.set_position(done);
    }
}

/// Copies the database, consistently, while the server may be running.
async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let db = Database::connect(&args.database.url).await?;
    let started = std::time::Instant::now();
    let outcome = db.backup_to(&args.path).await;
    db.close().await;
    let predictions = outcome?;
    println!(
        "wrote {} in {:.1} s: integrity check ok, {predictions} predictions",
        args.path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes a synthetic data set, for benchmarks.
fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    let file = hindsight::generate::data_set(hindsight::generate::Spec {
        predictions: args.predictions,
        experts: args.experts,
        seed: args.seed,
    });
    let text = match args.format.as_str() {
        "json" => serde_json::to_string(&file)?,
        "csv" => hindsight::import::csv::write(&file)?,
        other => anyhow::bail!("--format: \"{other}\" is not a format; use json or csv"),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting connections and let requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
