//! Test helpers shared by the integration tests of every crate.
//!
//! [`sqlite`] gives a migrated store on a fresh SQLite file; [`postgres`] gives a
//! migrated store on a fresh database in a real PostgreSQL cluster that this test
//! process starts (once) with `initdb` and `pg_ctl` in a temporary directory, and
//! that a watchdog stops when the process ends. Running as root, the cluster runs
//! as the `postgres` user, since `initdb` refuses root.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use pathways_store::Store;
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// A migrated store and what keeps its database alive.
#[derive(Debug)]
pub struct TestStore {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// A fresh SQLite file, migrated.
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite:{}", dir.path().join("pathways.sqlite").display());
    let store = Store::connect(&url).await.expect("open SQLite");
    store.migrate().await.expect("migrate SQLite");
    TestStore {
        store,
        url,
        _dir: Some(dir),
    }
}

/// A fresh database in the test cluster, migrated.
pub async fn postgres() -> TestStore {
    let url = postgres_database_url().await;
    let store = Store::connect(&url)
        .await
        .expect("connect to the test PostgreSQL database");
    store.migrate().await.expect("migrate PostgreSQL");
    TestStore { store, url, _dir: None }
}

/// The URL of a new, empty database in the test cluster.
pub async fn postgres_database_url() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let cluster = cluster();
    let name = format!("test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut admin = sqlx::PgConnection::connect(&cluster.url("postgres"))
        .await
        .expect("connect to the test cluster");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    admin.close().await.ok();
    cluster.url(&name)
}

/// A running throwaway cluster.
#[derive(Debug)]
pub struct Cluster {
    socket_dir: PathBuf,
    port: u16,
}

impl Cluster {
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://pathways@localhost:{}/{database}?host={}",
            self.port,
            self.socket_dir.display()
        )
    }
}

/// The cluster of this test process, started on first use.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(start_cluster)
}

fn postgres_bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PATHWAYS_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL server programs (initdb, pg_ctl) were not found under /usr/lib/postgresql: \
             install Debian's postgresql package (scripts/test.sh does this) or set PATHWAYS_PG_BIN"
        )
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL program, as the `postgres` user when we are root.
fn run_pg(bin: &Path, program: &str, args: &[&str]) {
    let program = bin.join(program);
    let mut command = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&program);
        c
    } else {
        Command::new(&program)
    };
    let output = command
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        output.status.success(),
        "{} failed: {}{}",
        program.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn start_cluster() -> Cluster {
    let bin = postgres_bin_dir();
    // Kept on disk until the watchdog removes it after this process ends.
    let dir = tempfile::Builder::new()
        .prefix("pathways-pg-")
        .tempdir()
        .expect("temporary directory")
        .keep();
    make_world_writable(&dir);
    let data = dir.join("data");
    let log = dir.join("postgres.log");
    let port = 20_000 + (std::process::id() % 40_000) as u16;
    let (d, l, s) = (
        data.display().to_string(),
        log.display().to_string(),
        dir.display().to_string(),
    );
    run_pg(
        &bin,
        "initdb",
        &[
            "-D",
            &d,
            "-U",
            "pathways",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
    );
    let options = format!(
        "-k {s} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    );
    run_pg(
        &bin,
        "pg_ctl",
        &["-D", &d, "-l", &l, "-o", &options, "-w", "-t", "60", "start"],
    );
    spawn_watchdog(&bin, &dir, &data);
    Cluster { socket_dir: dir, port }
}

fn make_world_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).expect("chmod the cluster directory");
}

/// Stops the cluster and removes its directory once this test process has exited.
/// The watchdog outlives this process by design, so it is never waited for.
#[allow(clippy::zombie_processes)]
fn spawn_watchdog(bin: &Path, dir: &Path, data: &Path) {
    let pg_ctl = bin.join("pg_ctl");
    let as_postgres = if is_root() { "runuser -u postgres -- " } else { "" };
    let script = format!(
        "while kill -0 {parent} 2>/dev/null; do sleep 0.5; done; \
         {as_postgres}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        parent = std::process::id(),
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the cluster watchdog");
}

/// Generates each listed async test function once per backend, in modules
/// `sqlite` and `postgres`. Each function takes a [`TestStore`].
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($crate::sqlite().await).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($crate::postgres().await).await
                }
            )+
        }
    };
}
