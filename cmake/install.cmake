# The installed package (issue 15): one static library libroofscope.a of every part's objects, the public headers
# include/roofscope/ (roofscope.h the umbrella), roofscopeConfig.cmake + version file exporting roofscope::roofscope,
# and roofscope.pc. tests/package/ builds examples/ against an install of it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(roofscope_parts rs_graph rs_onnx rs_models rs_kernels rs_runtime rs_machine rs_roofline rs_report rs_experiments
    rs_api)
set(roofscope_objects)
foreach(part ${roofscope_parts})
  list(APPEND roofscope_objects $<TARGET_OBJECTS:${part}>)
endforeach()
add_library(roofscope_lib STATIC ${roofscope_objects})
set_target_properties(roofscope_lib PROPERTIES OUTPUT_NAME roofscope EXPORT_NAME roofscope)
target_include_directories(roofscope_lib INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
# What the objects call: the consumer links these (header-only dependencies are build-only).
target_link_libraries(roofscope_lib PUBLIC DNNL::dnnl OpenMP::OpenMP_CXX PkgConfig::HWLOC fmt::fmt onnx_proto
                      protobuf::libprotobuf ${XGBOOST_LIBRARY} PRIVATE $<BUILD_INTERFACE:Eigen3::Eigen>
                      $<BUILD_INTERFACE:nlohmann_json::nlohmann_json> $<BUILD_INTERFACE:PkgConfig::STB>)
foreach(part ${roofscope_parts})
  add_dependencies(roofscope_lib ${part})
endforeach()
# A sanitizer build's objects call the ASan/UBSan runtimes: its consumers link them too (CMake target and .pc), so
# the package test links and runs instrumented in build-asan/ as well.
set(roofscope_pc_sanitize "")
if(ROOFSCOPE_SANITIZE)
  target_link_options(roofscope_lib INTERFACE -fsanitize=address,undefined)
  set(roofscope_pc_sanitize " -fsanitize=address,undefined")
endif()

install(TARGETS roofscope_lib EXPORT roofscopeTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS roofscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES include/roofscope/roofscope.h include/roofscope/api.h ${CMAKE_CURRENT_BINARY_DIR}/include/roofscope/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/roofscope)
set(roofscope_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/roofscope)
install(EXPORT roofscopeTargets NAMESPACE roofscope:: DESTINATION ${roofscope_cmake_dir})
configure_package_config_file(cmake/roofscopeConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/roofscopeConfig.cmake
                              INSTALL_DESTINATION ${roofscope_cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/roofscopeConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/roofscopeConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/roofscopeConfigVersion.cmake
        DESTINATION ${roofscope_cmake_dir})
configure_file(cmake/roofscope.pc.in ${CMAKE_CURRENT_BINARY_DIR}/roofscope.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/roofscope.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
