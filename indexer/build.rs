// `sqlx::migrate!` embeds `migrations/` when the crate compiles, and cargo
// does not see that folder: a new or changed migration must rebuild it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
