"""Figures from the graph: a co-participation network drawing and a timeline chart.

Both need matplotlib (``pip install 'timeline[plot]'``), imported only when a figure is
drawn. They draw on a ``matplotlib.figure.Figure`` of their own (never pyplot's global
state), so they work the same in a script, on a server and in Jupyter, where the returned
figure displays itself. Both are deterministic: the same input (and ``seed``) gives the same
picture.

For example (it writes two PNG files)::

    from timeline import plots
    G = graph.co_participation(kinds=["person", "country"])
    plots.draw_co_participation(G, "co-participation.png", color_by="community")
    plots.plot_timeline(graph.timeline(), "timeline.png", group_by="category")
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from timeline.model.dates import DatePrecision
from timeline.model.records import Event

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

__all__ = ["KIND_COLORS", "draw_co_participation", "layout", "plot_timeline"]

PathLike = str | os.PathLike[str]
Position = tuple[float, float]

#: Node colours by entity kind (colour-blind-safe, after Okabe and Ito).
KIND_COLORS: Mapping[str, str] = {
    "person": "#0072B2",
    "country": "#D55E00",
    "organization": "#009E73",
    "event": "#CC79A7",
    "agreement": "#E69F00",
    "place": "#56B4E9",
}
#: Colours for communities and timeline groups, in order (cycled when there are more).
PALETTE = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
    "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD", "#AA3377",
)  # fmt: skip
_OTHER = "#9A9A9A"


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            "figures need matplotlib: pip install 'timeline[plot]' (or pip install matplotlib)"
        ) from None
    return matplotlib


def _figure(width: float, height: float, dpi: int) -> Figure:
    """A figure on the Agg canvas, outside pyplot (no global state, no display needed)."""
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _save(figure: Figure, path: PathLike | None) -> None:
    if path is not None:
        figure.savefig(os.fspath(path), facecolor="white")


# --- the co-participation network --------------------------------------------------------------


def layout(graph: nx.Graph, seed: int = 42) -> dict[str, Position]:
    """Node positions for ``graph``: ForceAtlas2 (``nx.forceatlas2_layout``), weighted,
    with room for each node's size, fixed by ``seed`` and scaled into [-1, 1].

    Heavier edges pull harder, groups that share events settle together and bigger nodes
    keep their distance. Nodes and edges are fed in id order, so the same graph and seed
    always give the same positions.
    """
    if not len(graph):
        return {}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_weighted_edges_from(
        sorted(
            (min(u, v), max(u, v), float(w)) for u, v, w in graph.edges(data="weight", default=1)
        )
    )
    if len(ordered) == 1:
        return {next(iter(ordered)): (0.0, 0.0)}
    strength = _strength(ordered)
    top = max(strength.values()) or 1.0
    room = {n: 0.5 + 2.0 * math.sqrt(strength[n] / top) for n in ordered}
    raw = nx.forceatlas2_layout(
        ordered,
        seed=seed,
        weight="weight",
        max_iter=500,
        node_size=room,
        scaling_ratio=4.0,
        gravity=2.0,
    )
    # Turn the drawing so that its widest spread lies across (it fills a landscape page).
    xs = [float(raw[n][0]) for n in ordered]
    ys = [float(raw[n][1]) for n in ordered]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    turn = -0.5 * math.atan2(2 * sxy, sxx - syy)
    cos, sin = math.cos(turn), math.sin(turn)
    turned = {
        n: ((x - mx) * cos - (y - my) * sin, (x - mx) * sin + (y - my) * cos)
        for n, x, y in zip(ordered, xs, ys, strict=True)
    }
    scaled = nx.rescale_layout_dict(turned, scale=1.0)
    return {n: (round(float(x), 6), round(float(y), 6)) for n, (x, y) in scaled.items()}


def _strength(graph: nx.Graph) -> dict[str, float]:
    """Weighted degree: for co-participation, the events shared, summed over partners."""
    return {n: float(d) for n, d in graph.degree(weight="weight")}


def _label_text(graph: nx.Graph, node: str) -> str:
    data = graph.nodes[node]
    return _short(str(data.get("acronym") or data.get("label") or node), 26)


def _place_labels(
    axes: Axes,
    renderer: RendererBase,
    labels: Sequence[tuple[str, Position, float]],
    avoid: Sequence[Any],
    centre: Position,
    fontsize: float,
    force: bool = False,
) -> tuple[list[int], list[Any]]:
    """Write each label beside its node (``(text, position, radius in points)``, the most
    important first), at the first of a few spots around it, those facing away from the
    drawing's centre first, that overlaps no node box in ``avoid`` and no label already
    written, and stays inside the axes. Returns the indices of the labels that found no
    room (and were not written)."""
    from matplotlib.text import Text

    placed: list[Any] = list(avoid)
    frame = axes.get_window_extent(renderer)
    left_out: list[int] = []
    written: list[Any] = []
    turns = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6]
    for index, (text, (x, y), radius) in enumerate(labels):
        outward = math.atan2(y - centre[1], x - centre[0]) if (x, y) != centre else math.pi / 2
        found = None
        for distance in (radius + 2.0, radius + 9.0):
            for turn in turns:
                angle = outward + turn * math.pi / 6
                dx, dy = math.cos(angle), math.sin(angle)
                label = axes.annotate(
                    text,
                    (x, y),
                    xytext=(distance * dx, distance * dy),
                    textcoords="offset points",
                    ha="left" if dx > 0.3 else "right" if dx < -0.3 else "center",
                    va="bottom" if dy > 0.3 else "top" if dy < -0.3 else "center",
                    fontsize=fontsize,
                    zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                )
                label.update_positions(renderer)
                extent = Text.get_window_extent(label, renderer).padded(1.5)
                inside = frame.contains(extent.x0, extent.y0) and frame.contains(
                    extent.x1, extent.y1
                )
                first = force and distance == radius + 2.0 and turn == 0
                if first or (inside and not any(extent.overlaps(other) for other in placed)):
                    found = (label, extent)
                    if not first:
                        break
                    continue
                label.remove()
            if found is not None:
                break
        if found is None:
            left_out.append(index)
        else:
            placed.append(found[1])
            written.append(found[0])
    return left_out, written


def draw_co_participation(
    graph: nx.Graph,
    path: PathLike | None = None,
    *,
    color_by: Literal["kind", "community"] = "kind",
    communities: Sequence[Sequence[str]] | None = None,
    labels: int | Collection[str] = 20,
    seed: int = 42,
    title: str | None = "Co-participation: who took part in the same events",
    figsize: tuple[float, float] = (13.0, 9.0),
    dpi: int = 150,
    positions: Mapping[str, Position] | None = None,
) -> Figure:
    """Draw a co-participation network (``Graph.co_participation()``, or any ``nx.Graph``
    whose nodes may carry ``kind``, ``label`` and ``acronym`` and whose edges carry
    ``weight``) and write it to ``path`` (PNG, SVG, PDF: by its suffix) if given.

    - node size: weighted degree (events shared, summed over partners);
    - node colour: ``color_by="kind"`` (person, country, ...) or ``"community"``: the
      ``communities`` given (lists of node ids, e.g. from ``Graph.communities()``), or
      Louvain communities computed with ``seed``;
    - edge width and darkness: weight (shared events);
    - labels: ``labels`` nodes (an int), the best connected of each colour in turn, or the
      nodes named (a collection of ids); an organization shows its acronym. A label goes beside
      its node where it overlaps no node and no other label; one that finds no room there
      becomes a number in the node, explained in a key under the legend;
    - layout: :func:`layout` with ``seed``, unless ``positions`` are given.

    Returns the matplotlib ``Figure``.
    """
    figure = _figure(*figsize, dpi)
    axes = figure.add_subplot()
    axes.set_axis_off()
    if title:
        figure.suptitle(title, fontsize=15, x=0.01, ha="left")
    if not len(graph):
        axes.text(
            0.5,
            0.5,
            "(no co-participation in this selection)",
            ha="center",
            transform=axes.transAxes,
        )
        _save(figure, path)
        return figure
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    where = dict(positions) if positions is not None else layout(graph, seed)
    strength = _strength(graph)
    nodes = sorted(graph.nodes, key=lambda n: (strength[n], n))  # heaviest drawn on top
    top = max(strength.values()) or 1.0
    sizes = {n: 30.0 + 900.0 * math.sqrt(strength[n] / top) for n in nodes}

    # Colours and the legend.
    handles: list[Any] = []
    if color_by == "community":
        groups = communities
        if groups is None:
            found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
            groups = sorted((sorted(g) for g in found), key=lambda m: (-len(m), m[0]))
        colors: dict[str, str] = {}
        for number, members in enumerate(groups):
            color = PALETTE[number % len(PALETTE)]
            for member in members:
                colors[member] = color
            present = [m for m in members if m in graph]
            lead = max(present, key=lambda m: (strength[m], m), default=None)
            name = _label_text(graph, lead) if lead else "-"
            others = f" + {len(present) - 1}" if len(present) > 1 else ""
            handles.append(_dot(Line2D, color, f"{number}: {name}{others}"))
        legend_title = "Louvain community\n(best connected + others)"
    elif color_by == "kind":
        colors = {n: KIND_COLORS.get(str(graph.nodes[n].get("kind")), _OTHER) for n in nodes}
        present = sorted({str(graph.nodes[n].get("kind", "other")) for n in nodes})
        for kind in present:
            count = sum(1 for n in nodes if graph.nodes[n].get("kind", "other") == kind)
            handles.append(_dot(Line2D, KIND_COLORS.get(kind, _OTHER), f"{kind} ({count})"))
        legend_title = "kind (entities)"
    else:
        raise ValueError(f"color_by must be 'kind' or 'community', got {color_by!r}")

    # Edges, lightest first, then nodes, heaviest on top.
    weights = [float(w) for _, _, w in graph.edges(data="weight", default=1)]
    heaviest = max(weights, default=1.0)
    edges = sorted(
        graph.edges(data="weight", default=1),
        key=lambda e: (float(e[2]), min(e[0], e[1]), max(e[0], e[1])),
    )
    segments, widths, shades = [], [], []
    for u, v, w in edges:
        share = float(w) / heaviest
        segments.append([where[u], where[v]])
        widths.append(0.5 + 4.5 * share)
        shades.append((0.25, 0.27, 0.32, 0.10 + 0.55 * share))
    axes.add_collection(
        LineCollection(segments, linewidths=widths, colors=shades, zorder=1, capstyle="round")
    )
    axes.scatter(
        [where[n][0] for n in nodes],
        [where[n][1] for n in nodes],
        s=[sizes[n] for n in nodes],
        c=[colors.get(n, _OTHER) for n in nodes],
        edgecolors="white",
        linewidths=1.0,
        zorder=2,
    )
    axes.autoscale_view()
    axes.margins(0.12)
    axes.set_aspect("equal", adjustable="datalim")

    widest = sorted({int(w) for w in weights if float(w).is_integer()} or {1})
    for w in (widest[0], widest[len(widest) // 2], widest[-1]) if len(widest) > 2 else widest:
        share = w / heaviest
        handles.append(
            Line2D(
                [],
                [],
                color=(0.25, 0.27, 0.32, 0.10 + 0.55 * share),
                lw=0.5 + 4.5 * share,
                label=f"{w} shared event{'s' if w != 1 else ''}",
            )
        )
    figure.legend(
        handles=handles,
        title=legend_title,
        loc="outside right upper",
        frameon=False,
        fontsize=9,
        title_fontsize=10,
        alignment="left",
    )
    axes.text(
        0.0,
        0.0,
        "node size: events shared, summed over partners; edge width: events shared by the pair",
        transform=axes.transAxes,
        fontsize=8,
        color="#555555",
        ha="left",
        va="bottom",
    )

    # Labels, once the layout is final: the most connected nodes first, taking turns
    # between the colours (so that every community or kind gets its best names).
    if isinstance(labels, int):
        rank: dict[str, int] = {}
        seen: dict[str, int] = defaultdict(int)
        for n in sorted(nodes, key=lambda n: (-strength[n], n)):
            rank[n] = seen[colors.get(n, _OTHER)]
            seen[colors.get(n, _OTHER)] += 1
        by_turn = sorted(nodes, key=lambda n: (rank[n], -strength[n], n))[: max(labels, 0)]
        chosen = sorted(by_turn, key=lambda n: (-strength[n], n))
    else:
        wanted = set(labels)
        chosen = sorted((n for n in nodes if n in wanted), key=lambda n: (-strength[n], n))
    texts = [_label_text(graph, n) for n in chosen]
    xs, ys = [p[0] for p in where.values()], [p[1] for p in where.values()]
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)

    def place(force: bool, skip: Collection[int] = ()) -> tuple[list[int], list[Any]]:
        """Lay the figure out, freeze it and write the labels (but ``skip``)."""
        figure.set_layout_engine("constrained")
        figure.canvas.draw()
        figure.set_layout_engine("none")
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        dots = [_dot_box(axes, where[n], sizes[n] * 0.6, figure.dpi) for n in nodes]
        todo = [i for i in range(len(chosen)) if i not in skip]
        items = [(texts[i], where[chosen[i]], math.sqrt(sizes[chosen[i]]) / 2) for i in todo]
        left_out, written = _place_labels(axes, renderer, items, dots, centre, 9, force)
        return [todo[i] for i in left_out], written

    left_out, written = place(force=False)
    if left_out:
        # No room beside the node: a number in the node, and a key (laid out with the rest,
        # so the other labels are placed again on the final layout).
        for label in written:
            label.remove()
        key = []
        for number, index in enumerate(left_out, start=1):
            axes.text(*where[chosen[index]], str(number), ha="center", va="center",
                      fontsize=7, fontweight="bold", color="white", zorder=6)  # fmt: skip
            key.append(Line2D([], [], ls="", label=f"{number}  {texts[index]}"))
        figure.legend(
            handles=key,
            title="numbered in the nodes",
            loc="outside right lower",
            frameon=False,
            fontsize=9,
            title_fontsize=10,
            alignment="left",
            handlelength=0,
            handletextpad=0,
        )
        place(force=True, skip=set(left_out))
    _save(figure, path)
    return figure


def _dot(line2d: Any, color: str, label: str) -> Any:
    return line2d(
        [],
        [],
        marker="o",
        ls="",
        markersize=9,
        markerfacecolor=color,
        markeredgecolor="white",
        label=label,
    )


def _dot_box(axes: Axes, xy: Position, size: float, dpi: float) -> Any:
    """The display-space box a scatter marker of ``size`` (points²) covers."""
    from matplotlib.transforms import Bbox

    x, y = axes.transData.transform(xy)
    half = math.sqrt(size) / 2 * dpi / 72
    return Bbox([[x - half, y - half], [x + half, y + half]])


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the timeline chart ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    event: Event
    group: str
    start: float  # matplotlib date numbers
    end: float  # exclusive: the day after the last day
    label: str


def _group_of(group_by: str | Callable[[Event], str | None]) -> Callable[[Event], str]:
    if callable(group_by):
        chosen = group_by
        return lambda e: chosen(e) or "(other)"
    if group_by == "category":
        return lambda e: e.category.replace("_", " ")
    if group_by == "series":
        return lambda e: e.series or "(no series)"
    raise ValueError(f"group_by must be 'category', 'series' or a function, got {group_by!r}")


def plot_timeline(
    events: Iterable[Event],
    path: PathLike | None = None,
    *,
    group_by: Literal["category", "series"] | Callable[[Event], str | None] = "category",
    title: str | None = "Timeline",
    labels: bool = True,
    label_length: int = 48,
    width: float = 14.0,
    dpi: int = 150,
) -> Figure:
    """Draw events on a date axis, one band per group, and write the chart to ``path``
    (PNG, SVG, PDF: by its suffix) if given.

    Honest about precision: an event dated to the day is a diamond (a bar for a run of
    days, ``2022-06-06/2022-06-10``); an event dated only to the month or the year is a
    hatched, pale bar over every day it may cover (``2021-10`` spans October), never a
    point on a day the sources do not give.

    ``group_by``: ``"category"``, ``"series"`` or a function of the event giving its
    group. Within a band, items (and their labels) are stacked so that none overlap.
    Returns the matplotlib ``Figure``.
    """
    _matplotlib()
    import matplotlib.dates

    mdates: Any = matplotlib.dates  # partly untyped
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    group = _group_of(group_by)
    chosen = sorted(events, key=lambda e: e.sort_key)
    items = [
        _Item(
            event=e,
            group=group(e),
            start=float(mdates.date2num(e.date.start)),
            end=float(mdates.date2num(e.date.end + dt.timedelta(days=1))),
            label=_short(e.name, label_length),
        )
        for e in chosen
    ]
    if items:
        low, high = min(i.start for i in items), max(i.end for i in items)
    else:
        today = float(mdates.date2num(dt.date.today()))
        low, high = today - 30, today + 30
    pad = max((high - low) * 0.02, 5.0)
    x_min, x_max = low - pad, high + pad

    # Measure labels in days, to stack items so that neither bars nor labels overlap.
    figure = _figure(width, 4.0, dpi)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    probe = figure.text(0, 0, "", fontsize=8)
    axes_px = width * dpi * 0.78  # the plot area, about: the rest holds band names
    days_per_px = (x_max - x_min) / axes_px
    point_days = 7.0 * dpi / 72 * days_per_px  # half a diamond
    spans: list[tuple[float, float]] = []  # what each item and its label cover, in days
    on_left: set[int] = set()  # labels written left of their item (near the right edge)
    for index, item in enumerate(items):
        point = _is_point(item.event)
        start = item.start - point_days if point else item.start
        end = item.end + point_days if point else item.end
        if labels:
            probe.set_text(item.label)
            label_days = (probe.get_window_extent(renderer).width + 8) * days_per_px
            if end + label_days <= x_max:
                end += label_days
            else:
                start -= label_days
                on_left.add(index)
        spans.append((start, end))
    probe.remove()

    order: list[str] = list(dict.fromkeys(i.group for i in items))
    order.sort(key=lambda g: (min(i.start for i in items if i.group == g), g))
    lanes: dict[int, int] = {}
    lane_count: dict[str, int] = defaultdict(int)
    for g in order:
        ends: list[float] = []
        for index, item in enumerate(items):
            if item.group != g:
                continue
            start, end = spans[index]
            for lane, last in enumerate(ends):
                if last <= start:
                    ends[lane] = end
                    break
            else:
                lane = len(ends)
                ends.append(end)
            lanes[index] = lane
        lane_count[g] = max(len(ends), 1)

    total = sum(lane_count.values()) or 1
    figure.set_figheight(1.6 + 0.3 * total + 0.25 * len(order))
    axes = figure.add_subplot()
    colors = {g: PALETTE[n % len(PALETTE)] for n, g in enumerate(order)}
    base: dict[str, float] = {}
    y = 0.0
    for g in order:  # bands from the top down
        base[g] = y
        y += lane_count[g] + 0.6
    for n, g in enumerate(order):
        if n % 2 == 0:
            axes.axhspan(
                base[g] - 0.5, base[g] + lane_count[g] - 0.5 + 0.1, color="#F2F2F2", zorder=0, lw=0
            )

    for index, item in enumerate(items):
        row = base[item.group] + lanes[index]
        color = colors[item.group]
        precise = item.event.date.precision is DatePrecision.DAY
        point = _is_point(item.event)
        if point:
            axes.plot(
                [(item.start + item.end) / 2],
                [row],
                marker="D",
                markersize=7,
                color=color,
                markeredgecolor="white",
                zorder=3,
            )
        else:
            axes.barh(
                row,
                item.end - item.start,
                left=item.start,
                height=0.56,
                color=color if precise else "none",
                alpha=0.9 if precise else 1.0,
                edgecolor=color,
                hatch=None if precise else "////",
                linewidth=1.0,
                zorder=2,
                gid=item.event.id,
            )
            if not precise:  # a pale fill under the hatching
                axes.barh(
                    row,
                    item.end - item.start,
                    left=item.start,
                    height=0.56,
                    color=color,
                    alpha=0.18,
                    lw=0,
                    zorder=1,
                )
        if labels:
            gap = point_days if point else point_days / 2
            if index in on_left:
                x, ha = item.start - gap, "right"
            else:
                x, ha = item.end + gap, "left"
            axes.text(x, row, item.label, va="center", ha=ha, fontsize=8, zorder=4)

    axes.set_xlim(x_min, x_max)
    axes.set_ylim(y - 0.6 + 0.1, -0.7)
    axes.set_yticks([base[g] + (lane_count[g] - 1) / 2 for g in order])
    axes.set_yticklabels(order, fontsize=9)
    axes.tick_params(axis="y", length=0)
    locator = mdates.AutoDateLocator(minticks=6, maxticks=14)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.xaxis.set_minor_locator(mdates.MonthLocator())
    axes.grid(axis="x", which="major", color="#CCCCCC", lw=0.8, zorder=0)
    axes.grid(axis="x", which="minor", color="#EEEEEE", lw=0.5, zorder=0)
    axes.tick_params(axis="x", labeltop=True, top=True, labelsize=9)
    for side in ("left", "right", "top", "bottom"):
        axes.spines[side].set_visible(False)
    if title:
        axes.set_title(title, fontsize=14, loc="left", pad=28)
    legend = [
        Line2D([], [], marker="D", ls="", color="#555555", markersize=7, label="on a known day"),
        Patch(facecolor="#555555", alpha=0.9, label="over known days"),
        Patch(
            facecolor="#EEEEEE",
            edgecolor="#555555",
            hatch="////",
            label="known only to the month or year: the bar covers every day it may be",
        ),
    ]
    figure.legend(handles=legend, loc="outside lower left", ncols=3, frameon=False, fontsize=9)
    _save(figure, path)
    return figure


def _is_point(event: Event) -> bool:
    """A single known day: drawn as a marker, not a bar."""
    span = event.date
    return span.precision is DatePrecision.DAY and span.start == span.end
