# rkt_add_plugin(KIND <kind> NAME <name> SOURCES ... [LIBS ...])
#
# Builds an in-tree plugin as <kind>-<name>.so into the build tree's plugin directory and
# installs it to <prefix>/<RKT_PLUGIN_SUBDIR>. A plugin links the SDK and the libraries it names;
# never the core (plugins see only sdk/include — that is what keeps the SDK honest). Like
# rkt_sdk_add_plugin for third parties, it exports only the entry symbol.
set(RKT_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/../sdk/cmake/rkt-plugin.map")

# Every in-tree plugin that is switched on: what needs "the plugins rkt would load" depends on it
# (the engine's unit tests load the store plugin from the build tree, as rkt does).
add_custom_target(rkt-plugins)

function(rkt_add_plugin)
  cmake_parse_arguments(P "" "KIND;NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT P_KIND OR NOT P_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "rkt_add_plugin needs KIND, NAME and SOURCES")
  endif()
  set(target "plugin-${P_KIND}-${P_NAME}")
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE Rkt::PluginSdk ${P_LIBS})
  target_link_options(${target} PRIVATE "LINKER:--version-script=${RKT_PLUGIN_VERSION_SCRIPT}")
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "${P_KIND}-${P_NAME}"
    LIBRARY_OUTPUT_DIRECTORY "${RKT_PLUGIN_OUTPUT_DIR}"
    LINK_DEPENDS "${RKT_PLUGIN_VERSION_SCRIPT}")
  install(TARGETS ${target} LIBRARY DESTINATION "${RKT_PLUGIN_SUBDIR}")
  add_dependencies(rkt-runtime ${target})
  add_dependencies(rkt-plugins ${target})
endfunction()

# rkt_plugin(<kind> <name> <dir> <default ON|OFF>): one configure-time switch per plugin,
# RKT_PLUGIN_<KIND>_<NAME>, so packagers choose what to build.
#
# Each plugin folder declares the Debian package that ships it in <dir>/debian.control: one or
# more control stanzas, the first naming the plugin's package (`Package: rkt` for plugins of the
# base package; a stanza for a package of its own, with its Depends and Description; further
# stanzas add fields to other packages, e.g. `Recommends` on rkt). Every install rule of the
# folder goes to that package's install component, and `make deb` builds exactly the packages
# of the enabled plugins (docs/install.md): a plugin switched off drops its package.
function(rkt_plugin kind name dir default)
  string(TOUPPER "RKT_PLUGIN_${kind}_${name}" opt)
  string(REPLACE "-" "_" opt "${opt}")
  option(${opt} "Build the ${kind} plugin ${name}" ${default})
  if(NOT ${opt})
    return()
  endif()
  set(control "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/debian.control")
  if(NOT EXISTS "${control}")
    message(FATAL_ERROR "plugin ${kind}-${name} declares no package: add ${dir}/debian.control "
                        "(docs/install.md, \"A plugin's package\")")
  endif()
  file(STRINGS "${control}" packages REGEX "^Package:")
  list(GET packages 0 package)
  string(REGEX REPLACE "^Package:[ \t]*" "" package "${package}")
  string(STRIP "${package}" package)
  set_property(GLOBAL APPEND PROPERTY RKT_PACKAGE_STANZAS "${control}")
  set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME "${package}")
  # The folder's rkt_plugin_tests() call names its tests after the plugin
  # (cmake/RktPluginTests.cmake).
  set(RKT_PLUGIN_KIND "${kind}")
  set(RKT_PLUGIN_NAME "${name}")
  add_subdirectory(${dir})
endfunction()
