//! What code runs on chain, checked against code anyone can rebuild: the
//! code hashes of the deployed broker and community (`ContractInfoOf`)
//! against a release manifest (`releases/<version>.json`, every bundle's
//! hash per build profile) or a local reproducible build, and whether the
//! community approved that release (`is_release_approved`, the code hash as
//! the content hash). The same check reads an upgrade proposal's code hash
//! before members vote on it.
use crate::domain::Hex32;
use ink::primitives::Hash;
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, path::Path};

/// The contracts a deployment runs, as releases name them.
pub const VERIFIED: [&str; 2] = ["broker", "community"];

/// A release of the contracts: the hashes a build of its sources gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseManifest {
    pub version: String,
    /// The git commit whose sources were built.
    pub commit: String,
    /// What decides the bytes: rustc, cargo-contract (and its wasm-opt).
    pub toolchain: BTreeMap<String, String>,
    /// Per build profile (`per-call-limits`, `stable`), each bundle's code
    /// hash, `0x` and 64 hex digits.
    pub profiles: BTreeMap<String, BTreeMap<String, String>>,
}

impl ReleaseManifest {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the release manifest {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a release manifest: {e}", path.display()))
    }

    /// The reference a manifest gives for each contract.
    pub fn expected(&self) -> Result<Expected, String> {
        let mut hashes: BTreeMap<String, Vec<(String, Hash)>> = BTreeMap::new();
        for (profile, bundles) in &self.profiles {
            for (contract, hex) in bundles {
                hashes.entry(contract.clone()).or_default().push((
                    format!("release {} ({profile})", self.version),
                    parse_hash(hex)?,
                ));
            }
        }
        Ok(Expected {
            version: self.version.clone(),
            hashes,
        })
    }
}

/// What each contract's code should be: labelled hashes any of which match,
/// and the version the community approves releases under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub version: String,
    pub hashes: BTreeMap<String, Vec<(String, Hash)>>,
}

impl Expected {
    /// Local builds: the `.contract` bundles under each of `folders`
    /// (`folder/<name>/<name>.contract`, as `scripts/build.sh` leaves both
    /// profiles), each with the hash and version its metadata records.
    pub fn from_builds(folders: &[&Path]) -> Result<Self, String> {
        let mut hashes: BTreeMap<String, Vec<(String, Hash)>> = BTreeMap::new();
        let mut version = None;
        for folder in folders {
            for contract in VERIFIED {
                let path = folder.join(contract).join(format!("{contract}.contract"));
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    format!(
                        "{}: {e} (build first: bash scripts/build.sh)",
                        path.display()
                    )
                })?;
                let bundle: Bundle = serde_json::from_str(&text)
                    .map_err(|e| format!("{} is not a contract bundle: {e}", path.display()))?;
                let label = format!("the build in {}", folder.display());
                hashes
                    .entry(contract.to_string())
                    .or_default()
                    .push((label, parse_hash(&bundle.source.hash)?));
                version.get_or_insert(bundle.contract.version);
            }
        }
        Ok(Self {
            version: version.ok_or("no build folder was given")?,
            hashes,
        })
    }

    /// What `hash` is for `contract`: the label of the matching reference.
    pub fn matches(&self, contract: &str, hash: &Hash) -> Option<&str> {
        self.hashes
            .get(contract)?
            .iter()
            .find(|(_, expected)| expected == hash)
            .map(|(label, _)| label.as_str())
    }
}

/// The fields of a `.contract` bundle the check reads.
#[derive(Deserialize)]
struct Bundle {
    source: BundleSource,
    contract: BundleContract,
}

#[derive(Deserialize)]
struct BundleSource {
    hash: String,
}

#[derive(Deserialize)]
struct BundleContract {
    version: String,
}

/// The verdict on one piece of code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeCheck {
    /// `broker` or `community`, or `proposal N` for a proposed upgrade.
    pub subject: String,
    pub contract: String,
    pub code_hash: Option<Hash>,
    /// Which reference it matches (a release and profile, or a build).
    pub matches: Option<String>,
    /// Whether a passed proposal approved `contract` at the expected
    /// version with this hash.
    pub approved: bool,
}

impl CodeCheck {
    pub fn verified(&self) -> bool {
        self.matches.is_some() && self.approved
    }

    /// The verdict as a sentence.
    pub fn verdict(&self, version: &str) -> String {
        match (&self.code_hash, &self.matches, self.approved) {
            (None, _, _) => format!("{}: no contract code at its address", self.subject),
            (Some(_), None, _) => format!(
                "{}: MISMATCH: its code is none of the expected builds of {}",
                self.subject, self.contract
            ),
            (Some(_), Some(label), false) => format!(
                "{}: matches {label}, but the community has not approved {} {version} with \
                 this hash",
                self.subject, self.contract
            ),
            (Some(_), Some(label), true) => format!(
                "{}: verified: matches {label}, approved by the community as {} {version}",
                self.subject, self.contract
            ),
        }
    }
}

/// `0x` and 64 hex digits as a code hash.
fn parse_hash(text: &str) -> Result<Hash, String> {
    text.parse::<Hex32>()
        .map(Hash::from)
        .map_err(|error| format!("{error}: a code hash is 0x and 64 hex digits"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> ReleaseManifest {
        let hash = |byte: u8| format!("0x{}", format!("{byte:02x}").repeat(32));
        ReleaseManifest {
            version: "0.1.0".into(),
            commit: "abc".into(),
            toolchain: BTreeMap::new(),
            profiles: BTreeMap::from([
                (
                    "per-call-limits".to_string(),
                    BTreeMap::from([
                        ("broker".to_string(), hash(1)),
                        ("community".to_string(), hash(2)),
                    ]),
                ),
                (
                    "stable".to_string(),
                    BTreeMap::from([
                        ("broker".to_string(), hash(3)),
                        ("community".to_string(), hash(4)),
                    ]),
                ),
            ]),
        }
    }

    #[test]
    fn a_manifest_matches_the_hash_of_either_profile_and_names_it() {
        let expected = manifest().expected().unwrap();
        assert_eq!(
            expected.matches("broker", &Hash::from([3; 32])),
            Some("release 0.1.0 (stable)")
        );
        assert_eq!(
            expected.matches("community", &Hash::from([2; 32])),
            Some("release 0.1.0 (per-call-limits)")
        );
        assert_eq!(expected.matches("broker", &Hash::from([2; 32])), None);
        assert_eq!(expected.matches("psp22_mock", &Hash::from([1; 32])), None);
    }

    #[test]
    fn verdicts_read_as_sentences() {
        let check = |code_hash: Option<u8>, matches: Option<&str>, approved| CodeCheck {
            subject: "broker".into(),
            contract: "broker".into(),
            code_hash: code_hash.map(|b| Hash::from([b; 32])),
            matches: matches.map(String::from),
            approved,
        };
        let verified = check(Some(1), Some("release 0.1.0 (stable)"), true);
        assert!(verified.verified());
        assert_eq!(
            verified.verdict("0.1.0"),
            "broker: verified: matches release 0.1.0 (stable), approved by the community as \
             broker 0.1.0"
        );
        let unapproved = check(Some(1), Some("release 0.1.0 (stable)"), false);
        assert!(!unapproved.verified());
        assert!(unapproved
            .verdict("0.1.0")
            .contains("has not approved broker 0.1.0"));
        let mismatch = check(Some(9), None, false);
        assert!(mismatch.verdict("0.1.0").starts_with("broker: MISMATCH"));
        assert!(!check(None, None, false).verified());
    }

    #[test]
    fn hashes_must_be_32_bytes_of_hex() {
        assert_eq!(
            parse_hash(&format!("0x{}", "ab".repeat(32))),
            Ok(Hash::from([0xab; 32]))
        );
        assert!(parse_hash("0x12").is_err());
        assert!(parse_hash(&"zz".repeat(32)).is_err());
    }
}
