# rkt_add_plugin(KIND <kind> NAME <name> SOURCES ... [LIBS ...])
#
# Builds an in-tree plugin as <kind>-<name>.so into the build tree's plugin directory and
# installs it to <prefix>/<RKT_PLUGIN_SUBDIR>. A plugin links the SDK and the libraries it names;
# never the core (plugins see only sdk/include — that is what keeps the SDK honest). Like
# rkt_sdk_add_plugin for third parties, it exports only the entry symbol.
set(RKT_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/../sdk/cmake/rkt-plugin.map")

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
endfunction()

# rkt_plugin(<kind> <name> <dir> <default ON|OFF>): one configure-time switch per plugin,
# RKT_PLUGIN_<KIND>_<NAME>, so packagers choose what to build.
function(rkt_plugin kind name dir default)
  string(TOUPPER "RKT_PLUGIN_${kind}_${name}" opt)
  string(REPLACE "-" "_" opt "${opt}")
  option(${opt} "Build the ${kind} plugin ${name}" ${default})
  if(${opt})
    add_subdirectory(${dir})
  endif()
endfunction()
