//! Command line and environment: `hindsight [serve] [--addr A] [--database URL]`, and the
//! other commands.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "hindsight",
    version,
    about = "Keeps score of expert predictions quoted in the news."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web dashboard (the default when no command is given).
    Serve(ServeArgs),
    /// Import a data set (hindsight/v1 JSON or CSV); a file with any error changes nothing.
    Import(ImportArgs),
    /// Write a synthetic data set of the size asked for, for benchmarks.
    Generate(GenerateArgs),
    /// Export everything (the full history of outcomes included) as JSON or CSV.
    Export(ExportArgs),
    /// Write a consistent copy of the database to PATH while the server runs, synced to disk
    /// and checked with SQLite's integrity_check.
    Backup(BackupArgs),
    /// Manage analyst accounts.
    User(UserArgs),
    /// Read an article (.txt, .md or .html) and print the predictions proposed from it.
    Extract(ExtractArgs),
    /// Score the article reader against a gold table: recall, precision, speaker right and
    /// probability within 0.15, overall and per article.
    ExtractScore(ExtractScoreArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ExtractArgs {
    /// The article: plain text, Markdown or HTML (told apart by the name and the content).
    pub file: PathBuf,
    /// json ({"candidates": [...]}, as POST /api/v1/extract gives) or text (a block each).
    #[arg(long, default_value = "json")]
    pub format: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ExtractScoreArgs {
    /// The gold table (markdown): a row a prediction, with columns seed (or article),
    /// speaker, words and/or quote, and p.
    #[arg(long)]
    pub gold: PathBuf,
    /// The directory of the articles, each file named by its id ("000_....txt" for seed 000).
    #[arg(long)]
    pub articles: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// json (the whole model, hindsight/v1) or csv (one prediction a row, then one outcome a row).
    #[arg(long, default_value = "json")]
    pub format: String,
    /// Where to write; standard output when absent.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Where to write the copy; it must not exist yet.
    pub path: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// How many predictions.
    #[arg(long, default_value_t = 10_000)]
    pub predictions: usize,
    /// How many experts (at most 41,600).
    #[arg(long, default_value_t = 1_000)]
    pub experts: usize,
    /// The same seed gives the same data set.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// json (hindsight/v1) or csv.
    #[arg(long, default_value = "json")]
    pub format: String,
    /// Where to write; standard output when absent.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account and print a one-time link with which its owner sets a password.
    Add {
        /// The username (lower-case letters, digits, dots, hyphens, underscores).
        username: String,
        /// analyst (enters data, records outcomes) or admin (also manages accounts).
        #[arg(long, default_value = "analyst")]
        role: String,
        /// The name shown beside their work (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// Where the server is reached, for the link.
        #[arg(
            long,
            env = "HINDSIGHT_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// SQLite database URL; the file is created and migrated if missing.
    #[arg(
        long = "database",
        env = "HINDSIGHT_DATABASE_URL",
        default_value = "sqlite://hindsight.db",
        global = true
    )]
    pub url: String,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HINDSIGHT_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Directory of static files (style sheet, demo data).
    #[arg(long, env = "HINDSIGHT_STATIC_DIR", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/static"))]
    pub static_dir: PathBuf,
    /// The address readers reach this server at, for absolute links in link previews
    /// (default: http:// and the listening address).
    #[arg(long, env = "HINDSIGHT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Do not load the demo data set into an empty database.
    #[arg(long, env = "HINDSIGHT_NO_DEMO")]
    pub no_demo: bool,
    /// Connections served at once; more wait until one closes (default: the open-file limit
    /// less 256 for the database and static files, or 768 when the limit cannot be read).
    #[arg(long, env = "HINDSIGHT_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
    /// A reverse proxy in front of this server, whose X-Forwarded-For is believed for the
    /// client's address in logs; repeat it, or separate addresses with commas.
    #[arg(
        long = "trusted-proxy",
        env = "HINDSIGHT_TRUSTED_PROXIES",
        value_name = "IP",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,
    /// Admins must turn on two-factor sign-in (TOTP) before any other page for analysts works.
    #[arg(long, env = "HINDSIGHT_REQUIRE_ADMIN_TWO_FACTOR")]
    pub require_admin_two_factor: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to import: hindsight/v1 JSON, or CSV (told apart by the name and the content).
    pub file: PathBuf,
    /// Check the file and report what would change, without changing anything.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
}
