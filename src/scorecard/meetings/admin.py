from django.contrib import admin

from .models import Decision, ReviewMeeting

admin.site.register(ReviewMeeting)
admin.site.register(Decision)
