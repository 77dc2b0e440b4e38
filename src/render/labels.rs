//! Human words for machine values: kind labels, relation phrases, dates.

use chrono::NaiveDate;

use crate::extract::Kind;

/// All actor kinds, in the order the site lists them.
pub const KINDS: [Kind; 5] = [
    Kind::State,
    Kind::Organisation,
    Kind::ArmedGroup,
    Kind::Person,
    Kind::Other,
];

/// `state`, `armed-group`, ...: the kind as it appears in URLs, classes and JSON.
pub fn kind_slug(kind: Kind) -> &'static str {
    crate::briefing::kind_slug(kind)
}

/// "State", "Armed group", ...
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::State => "State",
        Kind::Organisation => "Organisation",
        Kind::ArmedGroup => "Armed group",
        Kind::Person => "Person",
        Kind::Other => "Other",
    }
}

/// "States", "Armed groups", ...: headings over lists of one kind.
pub fn kind_plural(kind: Kind) -> &'static str {
    match kind {
        Kind::State => "States",
        Kind::Organisation => "Organisations",
        Kind::ArmedGroup => "Armed groups",
        Kind::Person => "People",
        Kind::Other => "Other",
    }
}

/// The schema.org type used in JSON-LD for an actor kind.
pub fn schema_type(kind: Kind) -> &'static str {
    match kind {
        Kind::State => "Country",
        Kind::Organisation | Kind::ArmedGroup => "Organization",
        Kind::Person => "Person",
        Kind::Other => "Thing",
    }
}

/// How a relation reads from its source ("Turkey held talks with Hamas") or from
/// its target ("Israel was accused by Hamas").
pub fn relation_label(kind: &str, outgoing: bool) -> String {
    let (active, passive) = match kind {
        "talks" => ("held talks with", "held talks with"),
        "met" => ("met", "met"),
        "accused" => ("accused", "was accused by"),
        "urged" => ("urged", "was urged by"),
        "mediated" => ("mediated with", "had mediation from"),
        "attacked" => ("attacked", "was attacked by"),
        "supported" => ("supported", "was supported by"),
        "condemned" => ("condemned", "was condemned by"),
        "criticised" | "criticized" => ("criticised", "was criticised by"),
        "warned" => ("warned", "was warned by"),
        "threatened" => ("threatened", "was threatened by"),
        "sanctioned" => ("sanctioned", "was sanctioned by"),
        "praised" => ("praised", "was praised by"),
        "visited" => ("visited", "was visited by"),
        "called" => ("spoke with", "spoke with"),
        "agreed" => ("reached agreement with", "reached agreement with"),
        "negotiated" => ("negotiated with", "negotiated with"),
        other => {
            return if outgoing {
                other.replace('-', " ")
            } else {
                format!("{} (by)", other.replace('-', " "))
            };
        }
    };
    if outgoing { active } else { passive }.to_string()
}

/// `2026-11-26`, or empty.
pub fn iso_date(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `26 November 2026`, or empty.
pub fn display_date(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// Percent-encodes a query value (for `?actor=` links).
pub fn query_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_labels_read_both_ways() {
        assert_eq!(relation_label("accused", true), "accused");
        assert_eq!(relation_label("accused", false), "was accused by");
        assert_eq!(relation_label("talks", false), "held talks with");
        assert_eq!(relation_label("blockaded", false), "blockaded (by)");
    }

    #[test]
    fn dates_and_query() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 2);
        assert_eq!(iso_date(d), "2026-11-02");
        assert_eq!(display_date(d), "2 November 2026");
        assert_eq!(query_encode("Côte d'Ivoire"), "C%C3%B4te%20d%27Ivoire");
    }
}
