from django.contrib import admin

from partners.models import ContactPerson, CooperationAgreement, Partner


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class CooperationAgreementInline(admin.StackedInline):
    model = CooperationAgreement
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "sex_work_expertise", "is_active"]
    list_filter = ["type", "sex_work_expertise", "is_active", "regions"]
    search_fields = ["name"]
    filter_horizontal = ["regions", "domains"]
    inlines = [ContactPersonInline, CooperationAgreementInline]
