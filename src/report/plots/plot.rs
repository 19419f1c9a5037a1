//! A plot as data: what to draw, before any pixels, and how each arm's lines look.

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineStyle {
    /// A solid line.
    #[default]
    Solid,
    /// A dashed line (targets, instances still launching).
    Dashed,
    /// A dotted line (a second marker line besides a dashed one).
    Dotted,
    /// Dashes `on` pixels long, `off` pixels apart: an arm's own pattern ([`arm_look`]).
    Dash {
        /// Length of a dash, pixels.
        on: u32,
        /// Gap between dashes, pixels.
        off: u32,
    },
    /// Points alone, no line (a scatter): the series' marker, or filled circles.
    Markers,
}

/// A shape drawn on a line at a few places along it (and in its legend entry), or at every
/// point of a scatter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle pointing up.
    TriangleUp,
    /// A filled diamond.
    Diamond,
    /// A filled triangle pointing down.
    TriangleDown,
    /// An ×.
    Cross,
    /// A large ring, around a point rather than on a line (an arm's result as run).
    Ring,
    /// A value above the top of the axis, drawn at the top edge: a large triangle pointing up,
    /// outlined in black (no arm's line has it).
    Clipped,
}

/// One line of a panel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Legend entry.
    pub label: String,
    /// Colour index: the arm's position in the run, so an arm keeps its colour in every plot.
    pub color: usize,
    /// How the line is drawn.
    pub style: LineStyle,
    /// The shape marked along the line (or at each point of a scatter); `None`: none along a
    /// line, circles for a scatter.
    pub marker: Option<Marker>,
    /// Points `(x, y)`, x ascending.
    pub points: Vec<(f64, f64)>,
}

/// The dash patterns of arms' lines, by arm position (they repeat after the fifth; colour and
/// marker still tell the first six arms apart).
pub(super) const ARM_DASHES: [LineStyle; 5] = [
    LineStyle::Solid,
    LineStyle::Dash { on: 16, off: 6 },
    LineStyle::Dash { on: 5, off: 5 },
    LineStyle::Dash { on: 26, off: 5 },
    LineStyle::Dash { on: 10, off: 10 },
];

/// The markers of arms' lines, by arm position.
pub(super) const ARM_MARKERS: [Marker; 6] = [
    Marker::Circle,
    Marker::Square,
    Marker::TriangleUp,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Cross,
];

/// How the main line of the arm at position `k` is drawn: its own dash pattern and marker
/// besides its colour, so that two arms whose lines coincide both show (the gaps in the dashes
/// of the one drawn last let the other through, and their markers sit at different places
/// along the line), and the arms can be told apart in grey.
pub fn arm_look(k: usize) -> (LineStyle, Marker) {
    (
        ARM_DASHES[k % ARM_DASHES.len()],
        ARM_MARKERS[k % ARM_MARKERS.len()],
    )
}

/// Give every series whose points are exactly those of an earlier series of the same panel a
/// legend that says so (`fargate-b (same as fargate-a)`): drawn on top of each other, one
/// line would otherwise hide the other.
pub fn mark_identical(series: &mut [Series]) {
    let labels: Vec<String> = series.iter().map(|s| s.label.clone()).collect();
    for j in 1..series.len() {
        if series[j].points.is_empty() {
            continue;
        }
        if let Some(i) = (0..j).find(|&i| series[i].points == series[j].points) {
            series[j].label = format!("{} (same as {})", labels[j], labels[i]);
        }
    }
}

/// A shaded region around a line, drawn lightly in the line's colour beneath the lines: for
/// each x, the lower and upper bound (a 95% confidence interval around a mean).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Colour index (the line's).
    pub color: usize,
    /// `(x, lower, upper)`, x ascending.
    pub points: Vec<(f64, f64, f64)>,
}

/// A panel's own x axis (instead of the plot's shared one): its description and, for a
/// categorical axis, the category names, drawn at x = 0, 1, 2, ...
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    /// Description, with its unit.
    pub label: String,
    /// Category names in axis order; empty for a numeric axis.
    pub categories: Vec<String>,
    /// A numeric axis on a log scale: the panel's x values are log10 of the quantity, and
    /// the ticks are labelled with the quantity (1, 2, 5, 10, 20, ...).
    pub log10: bool,
}

/// How a heat map turns values into colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColorScale {
    /// Light to dark blue, from the smallest value to the largest.
    Sequential,
    /// For positive ratios: white at `center`, blue below it and orange above it, deeper with
    /// the distance on a log scale (½ and 2 are as deep); cells on either side of `center` are
    /// parted by a thick black line.
    Diverging {
        /// The value drawn white (1 for a ratio's break-even).
        center: f64,
        /// What a value below the centre means ("EC2 cheaper").
        below: &'static str,
        /// What a value above the centre means ("Fargate cheaper").
        above: &'static str,
    },
}

/// A heat map: one coloured cell per (x category, y category), with a colour legend. The x
/// categories are the panel's [`Axis`]; the y axis description is the panel's `y_label`.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// Row names, bottom to top.
    pub y_categories: Vec<String>,
    /// `values[row][column]`; `None` draws a grey cell (no value).
    pub values: Vec<Vec<Option<f64>>>,
    /// How values become colours.
    pub scale: ColorScale,
    /// The colour legend's title: what a value is.
    pub value_label: String,
}

/// One component of stacked bars: a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarComponent {
    /// Legend entry.
    pub label: String,
    /// Colour index.
    pub color: usize,
    /// Drawn light and hatched (an amount not spent, such as Spot savings).
    pub hatched: bool,
    /// One value per category, in the bars' category order; zero or more.
    pub values: Vec<f64>,
}

/// Stacked bars: one bar per category, its components stacked in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// Category names (one bar each), in order: left to right, or top to bottom when
    /// horizontal.
    pub categories: Vec<String>,
    /// Bars grow to the right (categories on the y axis, values on the x axis, described by
    /// the plot's `x_label`) instead of upwards (values described by the panel's `y_label`).
    pub horizontal: bool,
    /// The components, stacked from the axis outwards.
    pub components: Vec<BarComponent>,
}

/// One chart of a plot; the panels of a plot share the x axis unless a panel has its own.
/// A panel draws its heat map if it has one, else its bars if it has them, else its bands and
/// lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    /// Y axis description, with its unit.
    pub y_label: String,
    /// The lines.
    pub series: Vec<Series>,
    /// Shaded bands, drawn beneath the lines.
    pub bands: Vec<Band>,
    /// The panel's own x axis; `None`: the plot's `x_label`, numeric, shared by the panels.
    pub x_axis: Option<Axis>,
    /// A heat map (x categories from `x_axis`).
    pub heat: Option<HeatMap>,
    /// Stacked bars.
    pub bars: Option<Bars>,
}

impl Panel {
    /// Mark the series identical to an earlier one ([`mark_identical`]).
    pub fn mark_identical(&mut self) {
        mark_identical(&mut self.series);
    }

    /// A panel of lines alone.
    pub fn lines(y_label: impl Into<String>, series: Vec<Series>) -> Panel {
        Panel {
            y_label: y_label.into(),
            series,
            ..Panel::default()
        }
    }

    /// Whether the panel has anything to draw.
    pub fn has_data(&self) -> bool {
        self.series.iter().any(|s| !s.points.is_empty())
            || self.bands.iter().any(|b| !b.points.is_empty())
            || self.heat.as_ref().is_some_and(|h| !h.values.is_empty())
            || self.bars.as_ref().is_some_and(|b| !b.categories.is_empty())
    }
}

/// A plot as data: what to draw, before any pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// File stem (`utilisation` → `utilisation.svg`, `utilisation.png`).
    pub name: &'static str,
    /// Title.
    pub title: String,
    /// X axis description, with its unit.
    pub x_label: String,
    /// One or more panels, top to bottom.
    pub panels: Vec<Panel>,
    /// The range of the shared x axis when the plot sets it rather than its data: a run's time
    /// plots span the whole run, 0 → its end ([`TimeAxis`]), even where a line stops early
    /// (nothing registered, an arm that ended first). `None`: the data's range.
    pub x_span: Option<(f64, f64)>,
}

/// The plots of `plots` that have data, in order, each panel's identical series named
/// ([`Panel::mark_identical`]): what the run plots and the sweep plots return.
pub fn with_data(plots: impl IntoIterator<Item = Option<Plot>>) -> Vec<Plot> {
    plots
        .into_iter()
        .flatten()
        .filter(|p| p.panels.iter().any(Panel::has_data))
        .map(|mut p| {
            p.panels.iter_mut().for_each(Panel::mark_identical);
            p
        })
        .collect()
}
