# SPDX-License-Identifier: MIT
# InstallUnits.cmake - run by `cmake --install` (see CMakeLists.txt): installs contrib/systemd's units with
# ExecStart pointing at the installed binary. Inputs: WR_UNIT_SRC (contrib/systemd), WR_UNIT_DIR (where,
# relative to the prefix or absolute), WR_BINDIR (relative to the prefix or absolute), WR_STAGE (a scratch
# directory in the build tree).
if(IS_ABSOLUTE "${WR_UNIT_DIR}")
  set(dest "${WR_UNIT_DIR}")
else()
  set(dest "${CMAKE_INSTALL_PREFIX}/${WR_UNIT_DIR}")
endif()
if(IS_ABSOLUTE "${WR_BINDIR}")
  set(bin "${WR_BINDIR}/warroom")
else()
  set(bin "${CMAKE_INSTALL_PREFIX}/${WR_BINDIR}/warroom")
endif()
file(MAKE_DIRECTORY "${WR_STAGE}")
foreach(u warroom-alert.socket warroom-alert@.service)
  file(READ "${WR_UNIT_SRC}/${u}" text)
  string(REPLACE "/usr/bin/warroom" "${bin}" text "${text}")
  file(WRITE "${WR_STAGE}/${u}" "${text}")
  file(INSTALL DESTINATION "${dest}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
       FILES "${WR_STAGE}/${u}")
endforeach()
