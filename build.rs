//! Rebuild when the message catalogue changes: rust-i18n reads locales/ at compile time, and
//! cargo does not know that on its own, so an edited locales/app.yml would leave a stale build.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
