// `sqlx::migrate!` embeds the files of migrations/ when the crate compiles; without this, a new
// migration file alone would not rebuild it (sqlx's documented build script).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
