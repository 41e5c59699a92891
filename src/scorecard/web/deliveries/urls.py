"""Scheduled delivery pages, under the organization (docs/reports.md)."""

from django.urls import path

from . import books, views

D = "o/<slug:org_slug>/deliveries/"

urlpatterns = [
    path(D, views.delivery_list, name="delivery_list"),
    path(D + "new/", views.delivery_new, name="delivery_new"),
    path(D + "<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path(D + "<int:pk>/edit/", views.delivery_edit, name="delivery_edit"),
    path(D + "<int:pk>/toggle/", views.delivery_toggle, name="delivery_toggle"),
    path(D + "<int:pk>/delete/", views.delivery_delete, name="delivery_delete"),
    path(D + "<int:pk>/send-now/", views.delivery_send_now, name="delivery_send_now"),
]

B = "o/<slug:org_slug>/books/"

urlpatterns += [
    path(B, books.book_list, name="book_list"),
    path(B + "new/", books.book_edit, name="book_new"),
    path(B + "<int:pk>/edit/", books.book_edit, name="book_edit"),
    path(B + "<int:pk>/delete/", books.book_delete, name="book_delete"),
    path(B + "<int:pk>/book.pdf", books.book_file, {"fmt": "pdf"}, name="book_pdf"),
    path(B + "<int:pk>/book.pptx", books.book_file, {"fmt": "pptx"}, name="book_pptx"),
    path(B + "<int:pk>/book.xlsx", books.book_file, {"fmt": "xlsx"}, name="book_xlsx"),
]
