//! Where the signing key comes from: `P2PCLOUD_SECRET` (a secret URI or
//! mnemonic), a key file readable by its owner only, or `--suri` for the
//! well-known development accounts (`//Alice`). A secret is never printed.
use p2pcloud_client::chain::Keypair;
use std::{path::Path, str::FromStr};
use subxt_signer::SecretUri;

pub const SECRET_VARIABLE: &str = "P2PCLOUD_SECRET";

/// The signer named by `--suri`, `--key-file` or `P2PCLOUD_SECRET`, in that
/// order.
pub fn signer(suri: Option<&str>, key_file: Option<&Path>) -> Result<Keypair, String> {
    if let Some(suri) = suri {
        if !suri.starts_with("//") {
            return Err(format!(
                "--suri takes development accounts only (like //Alice); give a real key \
                 in {SECRET_VARIABLE} or with --key-file"
            ));
        }
        return keypair(suri, "--suri");
    }
    if let Some(path) = key_file {
        return keypair(&read_key_file(path)?, &path.display().to_string());
    }
    match std::env::var(SECRET_VARIABLE) {
        Ok(secret) => keypair(secret.trim(), SECRET_VARIABLE),
        Err(_) => Err(format!(
            "this command signs: give the key in {SECRET_VARIABLE}, with --key-file FILE, \
             or --suri //Alice on a development chain"
        )),
    }
}

fn keypair(secret: &str, source: &str) -> Result<Keypair, String> {
    // The parse errors never quote the secret.
    let uri = SecretUri::from_str(secret)
        .map_err(|_| format!("the key in {source} is not a secret URI or mnemonic"))?;
    Keypair::from_uri(&uri).map_err(|_| format!("the key in {source} does not derive a key"))
}

/// A key file's secret; refused unless only its owner can read it.
fn read_key_file(path: &Path) -> Result<String, String> {
    use std::os::unix::fs::PermissionsExt;
    let shown = path.display();
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the key file {shown}: {e}"))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "the key file {shown} is readable by others (mode {:o}): chmod 600 {shown}",
            mode & 0o777
        ));
    }
    std::fs::read_to_string(path)
        .map(|secret| secret.trim().to_string())
        .map_err(|e| format!("cannot read the key file {shown}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use p2pcloud_client::chain::{account_of, dev};

    #[test]
    fn suri_takes_development_accounts_only() {
        let alice = signer(Some("//Alice"), None).expect("//Alice");
        assert_eq!(account_of(&alice), account_of(&dev::alice()));
        let Err(refused) = signer(
            Some("bottom drive obey lake curtain smoke basket hold race lonely fit walk"),
            None,
        ) else {
            panic!("a mnemonic on the command line is refused");
        };
        assert!(refused.contains("development accounts only"));
        assert!(
            !refused.contains("bottom drive"),
            "the secret is never printed"
        );
    }

    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("p2pcloud-key-{}", std::process::id()));
        std::fs::write(&path, "//Bob\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let Err(refused) = signer(None, Some(&path)) else {
            panic!("mode 644 is refused");
        };
        assert!(refused.contains("chmod 600"), "{refused}");
        assert!(!refused.contains("//Bob"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let bob = signer(None, Some(&path)).expect("mode 600 is read");
        assert_eq!(account_of(&bob), account_of(&dev::bob()));
        std::fs::remove_file(&path).expect("remove");
    }
}
