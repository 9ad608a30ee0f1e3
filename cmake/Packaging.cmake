# Install rules and the Debian package (CPack DEB): binaries, the systemd unit, the
# commented configuration and the documentation. `cpack -G DEB` in a build directory.
include(GNUInstallDirs)
if(TARGET obvpnd)
  install(TARGETS obvpnd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET obvpnctl)
  install(TARGETS obvpnctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/packaging/obvpnd.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/obvpn.toml DESTINATION /etc/obvpn)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md" PATTERN "*.png")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME obvpn)
set(CPACK_PACKAGE_VENDOR "obvpn")
set(CPACK_PACKAGE_CONTACT "obvpn maintainers <obvpn@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Out-of-band VPN account service (Tencent Black Stone compatible API + RADIUS)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
