"""Presentation tours for trainers, generated from the ontology.

``model``     what a tour is: :class:`~kg.tours.model.Tour`, its steps, quotes, notes and links, and the errors
``builders``  the four tours (tree, chain, problem-to-practice, senge), their layout, and the cache
              (:func:`~kg.tours.builders.tours_for`, :func:`~kg.tours.builders.get_tour`)

A tour's PDF handout is drawn by :mod:`kg.export.handout`; the data of its pages by :mod:`kg.pages.tours`.
"""
