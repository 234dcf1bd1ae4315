//! A `substrate-contracts-node --dev` of our own: started on free ports,
//! ready once it answers JSON-RPC, stopped when dropped.
use crate::chain::ChainError;
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

/// A `--dev` node on free ports, killed when dropped. Its database is
/// temporary, or kept in a folder so the node can be restarted with its
/// state. Its log goes to a temporary file.
pub struct DevNode {
    child: Child,
    rpc_port: u16,
    base_path: Option<PathBuf>,
    url: String,
    log: PathBuf,
}

impl DevNode {
    /// Starts `CONTRACTS_NODE`, or `substrate-contracts-node` on `PATH`, with
    /// a temporary database.
    pub fn start() -> Result<Self, ChainError> {
        Self::launch(free_port()?, None)
    }

    /// As `start`, keeping the chain in `base_path` across `restart`s.
    pub fn start_in(base_path: PathBuf) -> Result<Self, ChainError> {
        Self::launch(free_port()?, Some(base_path))
    }

    /// Stops the node and starts it again on the same port and database.
    pub fn restart(&mut self) -> Result<(), ChainError> {
        self.stop();
        *self = Self::launch(self.rpc_port, self.base_path.take())?;
        Ok(())
    }

    /// Stops the node: its RPC port closes until `restart`.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn launch(rpc_port: u16, base_path: Option<PathBuf>) -> Result<Self, ChainError> {
        let binary =
            std::env::var("CONTRACTS_NODE").unwrap_or_else(|_| "substrate-contracts-node".into());
        let log = std::env::temp_dir().join(format!("p2pcloud-node-{rpc_port}.log"));
        let log_file = std::fs::File::create(&log)
            .map_err(|e| ChainError::Client(format!("{}: {e}", log.display())))?;
        let mut command = Command::new(&binary);
        command
            .args(["--dev", "--rpc-port", &rpc_port.to_string()])
            .args(["--port", &free_port()?.to_string()]);
        match &base_path {
            Some(path) => command.arg("--base-path").arg(path),
            None => command.arg("--tmp"),
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| ChainError::Client(format!("starting {binary}: {e}")))?;
        Ok(Self {
            child,
            rpc_port,
            base_path,
            url: format!("ws://127.0.0.1:{rpc_port}"),
            log,
        })
    }

    /// Its WebSocket RPC address.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Blocks until the node answers a JSON-RPC request where its log says
    /// it listens (a minute at most): the port it was given, or another if
    /// that one was taken while it started. An open port is not enough:
    /// another process may hold it.
    pub fn wait_until_ready(&mut self) -> Result<(), ChainError> {
        for _ in 0..120 {
            // The node takes another port when the one it was given was
            // taken meanwhile (another process raced for the free port): its
            // log says where it listens.
            if let Some(address) = rpc_address_in_log(&self.log) {
                if answers_json_rpc(&address) {
                    self.rpc_port = address
                        .rsplit(':')
                        .next()
                        .and_then(|port| port.parse().ok())
                        .unwrap_or(self.rpc_port);
                    self.url = format!("ws://{address}");
                    return Ok(());
                }
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        Err(ChainError::Client(format!(
            "{} never answered (its log: {})",
            self.url,
            self.log.display()
        )))
    }
}

impl Drop for DevNode {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether a JSON-RPC server answers `system_health` at `address` (the
/// node serves HTTP and WebSocket on one port).
fn answers_json_rpc(address: &str) -> bool {
    use std::io::{Read, Write};
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}"#;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.contains("\"result\"")
}

/// The IPv4 address the node's JSON-RPC server listens on, once its log
/// says so ("Running JSON-RPC server: addr=127.0.0.1:PORT,[::1]:PORT").
fn rpc_address_in_log(log: &Path) -> Option<String> {
    let text = std::fs::read_to_string(log).ok()?;
    let line = text
        .lines()
        .rev()
        .find(|line| line.contains("Running JSON-RPC server: addr="))?;
    let addresses = line.split("addr=").nth(1)?;
    addresses
        .split(',')
        .map(str::trim)
        .find(|address| address.starts_with("127.0.0.1:"))
        .map(str::to_string)
}

/// A port nothing listens on now (the OS picks it).
fn free_port() -> Result<u16, ChainError> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| ChainError::Client(format!("no free port: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rpc_address_is_read_from_the_nodes_log() {
        let log = std::env::temp_dir().join(format!("p2pcloud-log-{}", std::process::id()));
        std::fs::write(&log, "starting\n").expect("write");
        assert_eq!(rpc_address_in_log(&log), None);
        std::fs::write(
            &log,
            "2026-12-02 07:31:47.559  INFO main sc_rpc_server: Running JSON-RPC server: \
             addr=127.0.0.1:41903,[::1]:42567\n",
        )
        .expect("write");
        assert_eq!(rpc_address_in_log(&log), Some("127.0.0.1:41903".into()));
        std::fs::remove_file(&log).expect("remove");
    }

    #[test]
    #[ignore = "needs substrate-contracts-node (scripts/test.sh runs it where installed)"]
    fn a_node_whose_port_was_taken_is_found_where_it_listens() {
        // Given another process holding the port the node is given,
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = taken.local_addr().expect("its address").port();
        // when the node starts,
        let mut node = DevNode::launch(port, None).expect("the node starts");
        // then it is found where it really listens.
        node.wait_until_ready().expect("the node answers");
        assert_ne!(node.url(), format!("ws://127.0.0.1:{port}"));
        assert!(answers_json_rpc(node.url().trim_start_matches("ws://")));
    }
}
