//! Finding young people by name, date of birth or identifier, within a scope.

use crate::rows::{YoungPersonRow, sql_opt_date, young_person_columns};
use crate::{Result, Store, with_pool};
use jiff::civil::Date;
use pathways_domain::people::YoungPerson;

/// What to look for; every part given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words that must each appear in a legal or preferred name (any case).
    pub name_words: Vec<String>,
    pub date_of_birth: Option<Date>,
    /// An SSDA903 CHILD id or local id, matched whole, any case.
    pub identifier: Option<String>,
}

/// Whose young people a search may return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchScope {
    Everyone,
    /// Young people currently allocated to this team.
    Team(i64),
}

/// A young person found, with where they are allocated.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub id: i64,
    pub person: YoungPerson,
    pub team_name: Option<String>,
    pub personal_adviser_name: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
struct SearchRow {
    #[sqlx(flatten)]
    person: YoungPersonRow,
    team_name: Option<String>,
    personal_adviser_name: Option<String>,
}

/// The most name words a search uses; more are ignored.
pub const MAX_NAME_WORDS: usize = 3;

/// `%word%` for LIKE, with LIKE's own wildcards in the word taken literally.
fn contains_pattern(word: &str) -> String {
    let escaped = word
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The SELECT list and joins every search shares; each variant adds its WHERE.
macro_rules! search_select {
    () => {
        concat!(
            "SELECT ",
            young_person_columns!(),
            ", t.name AS team_name, s.display_name AS personal_adviser_name
             FROM young_people y
             LEFT JOIN allocations a ON a.young_person_id = y.id AND a.to_date IS NULL
             LEFT JOIN teams t ON t.id = a.team_id
             LEFT JOIN staff s ON s.id = a.personal_adviser_id "
        )
    };
}

/// The conditions every search applies (scope, each name word, date of birth, id).
macro_rules! search_filters {
    () => {
        "($1 IS NULL OR a.team_id = $1)
           AND y.search_name LIKE $2 ESCAPE '\\' AND y.search_name LIKE $3 ESCAPE '\\' AND y.search_name LIKE $4 ESCAPE '\\'
           AND ($5 IS NULL OR y.date_of_birth = $5)
           AND ($6 IS NULL OR upper(y.child_id) = $6 OR upper(y.local_id) = $6)
         ORDER BY y.legal_family_name, y.legal_given_name, y.id
         LIMIT $7"
    };
}

/// By id: the expression indexes on upper(child_id) and upper(local_id) answer it.
const BY_ID: &str = concat!(
    search_select!(),
    "WHERE (upper(y.child_id) = $6 OR upper(y.local_id) = $6) AND ",
    search_filters!()
);
/// By date of birth: its index answers it.
const BY_DATE_OF_BIRTH: &str = concat!(search_select!(), "WHERE y.date_of_birth = $5 AND ", search_filters!());
/// By name on SQLite: the trigram index finds candidates for the longest word ($8,
/// wildcards removed), then every word is checked exactly.
const BY_NAME_SQLITE: &str = concat!(
    search_select!(),
    "WHERE y.id IN (SELECT rowid FROM young_people_names WHERE search_name LIKE $8) AND ",
    search_filters!()
);
/// Anything else (on PostgreSQL the trigram index serves LIKE directly).
const ANY: &str = concat!(search_select!(), "WHERE ", search_filters!());

/// The trigram index needs at least three characters to narrow a search.
const TRIGRAM: usize = 3;

impl Store {
    /// Young people matching `query` within `scope`, by family name, at most `limit`.
    pub async fn search_young_people(
        &self,
        query: &SearchQuery,
        scope: SearchScope,
        limit: i64,
    ) -> Result<Vec<SearchHit>> {
        let team = match scope {
            SearchScope::Everyone => None,
            SearchScope::Team(id) => Some(id),
        };
        let words: Vec<&String> = query.name_words.iter().take(MAX_NAME_WORDS).collect();
        let mut patterns: Vec<String> = words.iter().map(|w| contains_pattern(w)).collect();
        patterns.resize(MAX_NAME_WORDS, "%".to_owned());
        let identifier = query.identifier.as_ref().map(|i| i.trim().to_uppercase());
        // The longest word with LIKE's wildcards removed, for the trigram index.
        let longest: String = words
            .iter()
            .map(|w| w.to_lowercase().replace(['%', '_', '\\'], ""))
            .max_by_key(|w| w.chars().count())
            .unwrap_or_default();
        let sql = if identifier.is_some() {
            BY_ID
        } else if query.date_of_birth.is_some() {
            BY_DATE_OF_BIRTH
        } else if self.backend() == crate::Backend::Sqlite && longest.chars().count() >= TRIGRAM {
            BY_NAME_SQLITE
        } else {
            ANY
        };
        let candidates = format!("%{longest}%");
        let rows = with_pool!(self, pool => {
            let mut q = sqlx::query_as::<_, SearchRow>(sql)
                .bind(team)
                .bind(&patterns[0])
                .bind(&patterns[1])
                .bind(&patterns[2])
                .bind(sql_opt_date(query.date_of_birth))
                .bind(identifier.as_deref())
                .bind(limit);
            if sql == BY_NAME_SQLITE {
                q = q.bind(&candidates);
            }
            q.fetch_all(pool).await
        })?;
        rows.into_iter()
            .map(|row| {
                let (id, _, person) = row.person.into_domain()?;
                Ok(SearchHit {
                    id,
                    person,
                    team_name: row.team_name,
                    personal_adviser_name: row.personal_adviser_name,
                })
            })
            .collect()
    }
}
