"""How each class and relation looks, everywhere: the graph pages, the tours and the exported images.

The one table of class styles and relation colours, and of the names that go with them (label modes,
view names), so that the screen, the exports and the tours cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

#: the label modes of every graph, tour and export: Chinese, English, or both
LABEL_MODES = ("zh", "en", "both")

#: the built-in graph views (``/graph/{view}``), the tabs of the graph pages, and what can be exported
STANDARD_VIEWS = ("tree", "chain", "cross", "whole")
GRAPH_VIEWS = (*STANDARD_VIEWS, "neighbourhood")
EXPORT_VIEWS = (*GRAPH_VIEWS, "paths")

#: the font the pictures are drawn in (Debian's fonts-noto-cjk); browsers fall back along FONT_STACK
FONT = "Noto Sans CJK SC"
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", '
              '"PingFang SC", sans-serif')


@dataclass(frozen=True)
class ClassStyle:
    """A class's look: fill, border and text colour and the node shape on screen (vis-network), and for
    print (black and white) a Graphviz shape and border line that tell the classes apart without colour."""

    fill: str
    border: str
    font: str
    shape: str          # vis-network: box or ellipse
    print_shape: str    # Graphviz
    line: str = "solid"  # Graphviz border style: solid, dashed, bold


CLASS_STYLE: dict[str, ClassStyle] = {
    "Framework": ClassStyle("#37474f", "#263238", "#ffffff", "box", "doubleoctagon", "bold"),
    "FrameworkPart": ClassStyle("#546e7a", "#37474f", "#ffffff", "box", "box", "bold"),
    "LearningIdea": ClassStyle("#a1887f", "#6d4c41", "#1f2328", "box", "invhouse"),
    "LearningMechanism": ClassStyle("#795548", "#4e342e", "#ffffff", "box", "box"),
    "Branch": ClassStyle("#7cb342", "#558b2f", "#1f2328", "box", "parallelogram"),
    "KeyProject": ClassStyle("#f48fb1", "#c2185b", "#1f2328", "box", "octagon"),
    "SharedVision": ClassStyle("#ffb300", "#e65100", "#1f2328", "box", "doublecircle", "bold"),
    "Significance": ClassStyle("#64b5f6", "#1565c0", "#1f2328", "box", "house"),
    "Problem": ClassStyle("#e57373", "#c62828", "#1f2328", "box", "hexagon"),
    "Remedy": ClassStyle("#4db6ac", "#00796b", "#1f2328", "box", "component"),
    "Theory": ClassStyle("#5c6bc0", "#283593", "#ffffff", "ellipse", "cds", "bold"),
    "Discipline": ClassStyle("#3949ab", "#1a237e", "#ffffff", "ellipse", "diamond", "bold"),
    "Practice": ClassStyle("#dcedc8", "#7cb342", "#1f2328", "box", "ellipse"),
    "Method": ClassStyle("#c5e1a5", "#689f38", "#1f2328", "box", "ellipse", "dashed"),
    "Mechanism": ClassStyle("#bcaaa4", "#6d4c41", "#1f2328", "box", "box", "dashed"),
    "Institution": ClassStyle("#cfd8dc", "#607d8b", "#1f2328", "box", "box3d"),
    "Plan": ClassStyle("#b2dfdb", "#00695c", "#1f2328", "box", "rarrow"),
    "Organisation": ClassStyle("#eceff1", "#78909c", "#1f2328", "box", "cylinder"),
    "Principle": ClassStyle("#e1bee7", "#8e24aa", "#1f2328", "box", "folder"),
    "Role": ClassStyle("#d1c4e9", "#5e35b1", "#1f2328", "box", "egg"),
    "Goal": ClassStyle("#fff3e0", "#fb8c00", "#1f2328", "box", "pentagon"),
    "Result": ClassStyle("#ffe0b2", "#ef6c00", "#1f2328", "box", "tab"),
    "Figure": ClassStyle("#fbe9e7", "#a1887f", "#1f2328", "box", "tab", "dashed"),
    "Slogan": ClassStyle("#fff9c4", "#f9a825", "#1f2328", "box", "note"),
    "Symptom": ClassStyle("#ffebee", "#e57373", "#1f2328", "box", "trapezium", "dashed"),
    "Cause": ClassStyle("#ffcdd2", "#d32f2f", "#1f2328", "box", "invtrapezium", "dashed"),
    "Notion": ClassStyle("#f5f5f5", "#9e9e9e", "#1f2328", "box", "ellipse"),
}
DEFAULT_STYLE = ClassStyle("#eeeeee", "#9e9e9e", "#1f2328", "box", "ellipse")

#: relation → edge colour (the rest are grey)
RELATION_COLOUR = {
    "partOf": "#8c959f",
    "mentionedIn": "#bdbdbd",
    "feeds": "#2e7d32",
    "supports": "#558b2f",
    "hinders": "#c62828",
    "addresses": "#00796b",
    "causes": "#d84315",
    "realises": "#00838f",
    "exemplifies": "#0277bd",
    "alignsWith": "#6a1b9a",
    "resembles": "#ab47bc",
    "embodies": "#283593",
    "aimsAt": "#ef6c00",
    "yields": "#f9a825",
    "basedOn": "#5c6bc0",
    "relatedTo": "#9e9e9e",
}
DEFAULT_EDGE_COLOUR = "#8c959f"


def class_style(cls: str) -> ClassStyle:
    return CLASS_STYLE.get(cls, DEFAULT_STYLE)


def relation_colour(relation: str) -> str:
    return RELATION_COLOUR.get(relation, DEFAULT_EDGE_COLOUR)


__all__ = ["CLASS_STYLE", "DEFAULT_EDGE_COLOUR", "DEFAULT_STYLE", "EXPORT_VIEWS", "FONT", "FONT_STACK",
           "GRAPH_VIEWS", "LABEL_MODES", "RELATION_COLOUR", "STANDARD_VIEWS", "ClassStyle", "class_style",
           "relation_colour"]
