//! The network picture on actor and place pages: an SVG drawn at build time.
//!
//! The actor sits in the middle; its most co-mentioned actors sit on a ring around
//! it, strongest first from the top, clockwise. Line width and node size follow how
//! often the two appear together. Every node is a link. No JavaScript is needed to
//! see it, it prints, and it costs a few microseconds per page.

use std::fmt::Write as _;

use super::context::{ActorRef, CoMention};
use super::escape::escape_markup as escape;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;
const RING: f64 = 150.0;
/// Room left and right of the drawing for the labels of the outer nodes.
const LABEL_MARGIN: f64 = 110.0;

/// The SVG for `centre` and its `neighbours` (already capped and ordered).
/// Empty when there is nobody to draw.
pub fn svg(centre: &ActorRef, neighbours: &[CoMention]) -> String {
    if neighbours.is_empty() {
        return String::new();
    }
    let cx = WIDTH / 2.0;
    let cy = HEIGHT / 2.0;
    let max = neighbours.iter().map(|n| n.count).max().unwrap_or(1).max(1) as f64;
    let n = neighbours.len() as f64;
    let mut out = String::with_capacity(600 + neighbours.len() * 400);
    let _ = write!(
        out,
        "<svg class=\"network\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} 0 {} {HEIGHT}\" role=\"img\" aria-labelledby=\"network-title\"><title id=\"network-title\">{} and the actors most often named with it</title>",
        -LABEL_MARGIN,
        WIDTH + 2.0 * LABEL_MARGIN,
        escape(&centre.name)
    );
    let positions: Vec<(f64, f64)> = (0..neighbours.len())
        .map(|i| {
            let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n;
            (cx + RING * 1.45 * angle.cos(), cy + RING * angle.sin())
        })
        .collect();
    out.push_str("<g class=\"edges\">");
    for (neighbour, (x, y)) in neighbours.iter().zip(&positions) {
        let width = 1.0 + 5.0 * neighbour.count as f64 / max;
        let _ = write!(
            out,
            "<line x1=\"{cx:.1}\" y1=\"{cy:.1}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke-width=\"{width:.1}\"><title>{} – {}: {} briefing{}</title></line>",
            escape(&centre.name),
            escape(&neighbour.actor.name),
            neighbour.count,
            if neighbour.count == 1 { "" } else { "s" }
        );
    }
    out.push_str("</g><g class=\"nodes\">");
    for (neighbour, (x, y)) in neighbours.iter().zip(&positions) {
        let r = 7.0 + 9.0 * neighbour.count as f64 / max;
        node(&mut out, &neighbour.actor, *x, *y, r, false);
    }
    node(&mut out, centre, cx, cy, 22.0, true);
    out.push_str("</g></svg>");
    out
}

fn node(out: &mut String, actor: &ActorRef, x: f64, y: f64, r: f64, centre: bool) {
    let label = shorten(&actor.name, 26);
    let anchor = if centre || (x - WIDTH / 2.0).abs() < 40.0 {
        "middle"
    } else if x < WIDTH / 2.0 {
        "end"
    } else {
        "start"
    };
    let (lx, ly) = if centre {
        (x, y + r + 16.0)
    } else if anchor == "middle" {
        (
            x,
            if y < HEIGHT / 2.0 {
                y - r - 6.0
            } else {
                y + r + 14.0
            },
        )
    } else if anchor == "end" {
        (x - r - 5.0, y + 4.0)
    } else {
        (x + r + 5.0, y + 4.0)
    };
    let _ = write!(
        out,
        "<a href=\"{}\" class=\"node node-{}{}\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/><text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text></a>",
        escape(&actor.url),
        escape(actor.kind),
        if centre { " node-centre" } else { "" },
        escape(&label)
    );
}

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let cut: String = name.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(name: &str) -> ActorRef {
        ActorRef {
            id: "x".into(),
            name: name.into(),
            kind: "state",
            kind_label: "State",
            url: "/actors/x/".into(),
            value: Default::default(),
        }
    }

    #[test]
    fn draws_a_linked_node_per_neighbour() {
        let neighbours: Vec<CoMention> = (0..5)
            .map(|i| CoMention {
                actor: actor(&format!("N{i}")),
                count: i + 1,
            })
            .collect();
        let svg = svg(&actor("Centre"), &neighbours);
        assert_eq!(svg.matches("<a href=").count(), 6);
        assert_eq!(svg.matches("<line").count(), 5);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn names_are_escaped() {
        let neighbours = vec![CoMention {
            actor: actor("<script>alert(1)</script>"),
            count: 1,
        }];
        let svg = svg(&actor("A & B"), &neighbours);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("A &amp; B"));
    }

    #[test]
    fn nobody_to_draw_gives_nothing() {
        assert_eq!(svg(&actor("Alone"), &[]), "");
    }
}
