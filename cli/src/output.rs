//! One output path for every command: a JSON value, printed as JSON
//! (`--json`) or as a table people read.
use serde_json::Value;

/// One result: a JSON object.
pub type Record = Value;

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// One result, as `key: value` lines.
    pub fn record(&self, record: &Record) {
        if self.json {
            println!("{record}");
            return;
        }
        let Some(fields) = record.as_object() else {
            println!("{}", plain(record));
            return;
        };
        let width = fields.keys().map(String::len).max().unwrap_or(0);
        for (key, value) in fields {
            match value {
                Value::Array(items) if items.is_empty() => {}
                Value::Array(items) => {
                    println!("{key:width$}:");
                    for item in items {
                        println!("  {}", plain(item));
                    }
                }
                _ => println!("{key:width$}: {}", plain(value)),
            }
        }
    }

    /// A typed answer (the indexer's), printed as its JSON is.
    pub fn answer(&self, answer: &impl serde::Serialize) {
        self.record(&json_of(answer));
    }

    /// Typed answers of the same shape, as a table.
    pub fn answers<T: serde::Serialize>(&self, answers: &[T]) {
        self.table(&answers.iter().map(json_of).collect::<Vec<_>>());
    }

    /// A line for the person watching, beside the results: on stderr, so
    /// `--json` output stays one value.
    pub fn note(&self, text: &str) {
        eprintln!("p2pcloud: {text}");
    }

    /// Several results of the same shape, as aligned columns.
    pub fn table(&self, rows: &[Record]) {
        if self.json {
            println!("{}", Value::Array(rows.to_vec()));
            return;
        }
        let Some(first) = rows.first().and_then(Value::as_object) else {
            println!("(none)");
            return;
        };
        let columns: Vec<&String> = first.keys().collect();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|column| plain(&row[column.as_str()]))
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                cells
                    .iter()
                    .map(|row| row[i].len())
                    .chain([column.len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |values: Vec<&str>| {
            values
                .iter()
                .zip(&widths)
                .map(|(value, width)| format!("{value:width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        println!("{}", line(columns.iter().map(|c| c.as_str()).collect()));
        for row in &cells {
            println!("{}", line(row.iter().map(String::as_str).collect()));
        }
    }
}

/// Types made only of JSON values always serialize.
fn json_of(answer: &impl serde::Serialize) -> Value {
    serde_json::to_value(answer).unwrap_or_else(|error| Value::String(error.to_string()))
}

/// A value without JSON's quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}
