//! A deterministic synthetic newsroom: N articles of every genre and
//! status, with realistic sizes, laid out as DESIGN.md §1 has it. The same
//! N always gives the same files, byte for byte.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

pub const NEWS_TOML: &str = r#"[newsroom]
name = "Synthetic Desk"
source = "TASS"
timezone = "Europe/Moscow"
language = "en"
base-uri = "https://example.invalid/"

[defaults.disclaimer]
opinion = "The desk may not share the opinions of its contributors"
analysis = "The desk may not share the opinions of its contributors"
"#;

const GENRES: [&str; 8] = [
    "news",
    "news",
    "news",
    "analysis",
    "opinion",
    "interview",
    "feature",
    "explainer",
];
const STATUSES: [&str; 6] = [
    "published",
    "published",
    "published",
    "draft",
    "review",
    "withheld",
];
const TAGS: [&str; 12] = [
    "Russia",
    "Japan",
    "Diplomacy",
    "Economy",
    "Trade",
    "Energy",
    "Kurils",
    "China",
    "Politics",
    "Science",
    "Sport",
    "Culture",
];
const WORDS: [&str; 24] = [
    "minister",
    "talks",
    "agreement",
    "Moscow",
    "Tokyo",
    "delegation",
    "economy",
    "trade",
    "visit",
    "dialogue",
    "experts",
    "said",
    "on",
    "Tuesday",
    "the",
    "of",
    "and",
    "a",
    "treaty",
    "commission",
    "islands",
    "cooperation",
    "energy",
    "projects",
];
const NAMES: [&str; 6] = [
    "Alexandrova Lyudmila",
    "Andrei Fesyun",
    "Valery Kistanov",
    "Viktor Kuzminkov",
    "TASS",
    "Ivan Petrov",
];

/// xorshift64*: small, fast and the same everywhere.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// One generated article: where it goes below the root, and its text.
pub struct Generated {
    pub relative_path: String,
    pub id: String,
    pub text: String,
}

/// The `index`-th article of the synthetic newsroom.
pub fn article(index: usize) -> Generated {
    let mut random =
        Random(0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
    let genre = random.pick(&GENRES);
    let status = random.pick(&STATUSES);
    // Spread over 2015–2024, at Moscow times that stay on one day.
    let year = 2015 + random.below(10);
    let month = 1 + random.below(12);
    let day = 1 + random.below(28);
    let hour = 6 + random.below(14);
    let minute = random.below(60);
    let id = format!(
        "{}-{}-{index}",
        random.pick(&WORDS).to_lowercase(),
        random.pick(&WORDS).to_lowercase()
    );
    let mut text = String::with_capacity(4096);
    let _ = writeln!(text, "id = \"{id}\"");
    let _ = writeln!(
        text,
        "headline = \"{}\"",
        sentence(&mut random, 8).trim_end_matches('.')
    );
    let _ = writeln!(text, "genre = \"{genre}\"");
    let _ = writeln!(text, "status = \"{status}\"");
    if matches!(status, "published" | "withheld") {
        let _ = writeln!(text, "version = {}", 1 + random.below(3));
    }
    let _ = writeln!(text, "section = \"World\"");
    let _ = writeln!(text, "byline = [\"{}\"]", random.pick(&NAMES));
    let _ = writeln!(text, "language = \"en\"");
    let _ = writeln!(
        text,
        "created = {year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00+03:00"
    );
    if matches!(status, "published" | "withheld") {
        let _ = writeln!(
            text,
            "published = {year}-{month:02}-{day:02}T{:02}:{minute:02}:00+03:00",
            hour + 1
        );
    }
    let first = random.below(TAGS.len());
    let second = (first + 1 + random.below(TAGS.len() - 1)) % TAGS.len();
    let _ = writeln!(text, "tags = [\"{}\", \"{}\"]", TAGS[first], TAGS[second]);
    if matches!(genre, "opinion" | "analysis") {
        let _ = writeln!(
            text,
            "disclaimer = \"The desk may not share the opinions of its contributors\""
        );
    }
    if status != "draft" {
        text.push_str("body = \"\"\"\n");
        for _ in 0..3 + random.below(6) {
            for _ in 0..3 + random.below(4) {
                let words = 12 + random.below(12);
                text.push_str(&sentence(&mut random, words));
                text.push(' ');
            }
            text.push_str("\n\n");
        }
        text.push_str("\"\"\"\n");
    }
    let _ = write!(
        text,
        "\n[dateline]\nplace = \"MOSCOW\"\ndate = {year}-{month:02}-{day:02}\nsource = \"TASS\"\n"
    );
    if random.below(3) == 0 {
        let _ = write!(
            text,
            "\n[[media]]\nkind = \"photo\"\nuri = \"media/{year}/{month:02}/{id}.jpg\"\ncaption = \"{}\"\ncredit = \"© TASS\"\n",
            sentence(&mut random, 6)
        );
    }
    for _ in 0..random.below(3) {
        let _ = write!(
            text,
            "\n[[sources]]\nname = \"{}\"\naffiliation = \"Higher School of Economics\"\n",
            random.pick(&NAMES)
        );
    }
    Generated {
        relative_path: format!("articles/{year}/{month:02}/{day:02}/{id}.toml"),
        id,
        text,
    }
}

fn sentence(random: &mut Random, words: usize) -> String {
    let mut sentence = String::new();
    for position in 0..words {
        let word = random.pick(&WORDS);
        if position == 0 {
            let mut characters = word.chars();
            if let Some(first) = characters.next() {
                sentence.extend(first.to_uppercase());
                sentence.push_str(characters.as_str());
            }
        } else {
            sentence.push(' ');
            sentence.push_str(word);
        }
    }
    sentence.push('.');
    sentence
}

/// Writes `news.toml` and `count` articles below `root`, with the default
/// schema files as `news init` would.
pub fn write_newsroom(root: &Path, count: usize) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(root.join("schema"))?;
    std::fs::write(root.join("news.toml"), NEWS_TOML)?;
    std::fs::write(
        root.join("schema/article.schema.json"),
        news::schema::DEFAULT_ARTICLE_SCHEMA,
    )?;
    std::fs::write(root.join("schema/tags.toml"), news::schema::DEFAULT_TAGS)?;
    let mut paths = Vec::with_capacity(count);
    for index in 0..count {
        let article = article(index);
        let path = root.join(&article.relative_path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(&path, article.text)?;
        paths.push(path);
    }
    paths.sort();
    Ok(paths)
}
