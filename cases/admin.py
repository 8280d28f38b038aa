from django.contrib import admin

from cases.models import AssessmentDomain, LifeDomain, MatrixVersion

# Reference data an administrator may edit. Life-domain codes stay fixed (analytics group on
# them); names and descriptions may be improved.


class AssessmentDomainInline(admin.TabularInline):
    model = AssessmentDomain
    extra = 0
    fields = ["position", "code", "name", "description"]


@admin.register(MatrixVersion)
class MatrixVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_current"]
    inlines = [AssessmentDomainInline]


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "position"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []
