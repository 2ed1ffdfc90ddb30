from staff import roles


def restore_roles():
    """Re-grant the roles after a transactional test's flush emptied the tables.

    The roles and their permissions come from data migrations, which a flush does not re-run; the
    browser tests (transactional) would otherwise find the groups gone. Re-applies every app's
    migration `GRANTS`.
    """
    from importlib import import_module
    from pkgutil import iter_modules

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if Group.objects.filter(name__in=roles.ALL_ROLES).exists():
        return
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    for app_config in apps.get_app_configs():
        try:
            package = import_module(f"{app_config.name}.migrations")
        except ImportError:
            continue
        for module_info in iter_modules(package.__path__):
            module = import_module(f"{package.__name__}.{module_info.name}")
            for group_name, permission_names in getattr(module, "GRANTS", {}).items():
                group = Group.objects.get(name=group_name)
                for name in permission_names:
                    app_label, codename = name.split(".", 1)
                    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
