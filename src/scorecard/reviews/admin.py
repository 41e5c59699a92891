from django.contrib import admin

from .models import Comment, KpiView, ObjectiveView, ReminderSnooze

admin.site.register(Comment)
admin.site.register(KpiView)
admin.site.register(ObjectiveView)
admin.site.register(ReminderSnooze)
