BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule

    function Set-Environment {
        Set-VmmStubBehavior Get-SCVMHost {
            New-TestHost "hv01"
            New-TestHost "hv'02;]" -State NotResponding -Perimeter $true
        }
        Set-VmmStubBehavior Get-SCVMHostCluster { New-VmmStubObject HostCluster @{ Name = 'cl01' } }
        Set-VmmStubBehavior Get-SCVirtualMachine {
            New-TestVM 'vm01' 'hv01'
            New-TestVM "vm'02]" "hv'02;]" -Status HostNotResponding
            New-TestVM 'vm03' 'hv01' -Status Missing
        }
        Set-VmmStubBehavior Get-SCLibraryServer { New-VmmStubObject LibraryServer @{ ComputerName = 'lib01.contoso.test' } }
        Set-VmmStubBehavior Get-SCCloud { New-VmmStubObject Cloud @{ Name = 'Gold' }; New-VmmStubObject Cloud @{ Name = 'Silver' } }
        Set-VmmStubBehavior Get-SCVMTemplate { New-VmmStubObject Template @{ Name = 'W2016' } }
        Set-VmmStubBehavior Get-SCRunAsAccount { New-VmmStubObject RunAsAccount @{ Name = 'HostAdmin'; UserName = 'CONTOSO\hostadmin' } }
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Export-VmmInventory' {
    BeforeEach {
        Reset-VmmStub
        Set-Environment
    }

    It 'writes a versioned UTF-8 JSON snapshot of hosts, clusters, VMs with status, library servers, clouds, templates and Run As accounts' {
        $folder = Join-Path $TestDrive 'inventory'
        $result = Export-VmmInventory -Path $folder -VMMServer vmm01

        { Assert-VmmOutputSchema $result 'Export-VmmInventory' } | Should -Not -Throw
        $result.Path | Should -Match 'VmmInventory_\d{8}_\d{6}\.json$'
        [System.IO.Path]::GetDirectoryName($result.Path) | Should -Be $folder
        $result.SchemaVersion | Should -Be 1
        $result.Hosts | Should -Be 2
        $result.Clusters | Should -Be 1
        $result.VirtualMachines | Should -Be 3
        $result.LibraryServers | Should -Be 1
        $result.Clouds | Should -Be 2
        $result.Templates | Should -Be 1
        $result.RunAsAccounts | Should -Be 1

        $bytes = [System.IO.File]::ReadAllBytes($result.Path)
        ($bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB) | Should -BeFalse -Because 'the snapshot is UTF-8 without a byte order mark'
        $json = [System.Text.Encoding]::UTF8.GetString($bytes) | ConvertFrom-Json
        $json.schemaVersion | Should -Be 1
        $json.vmmServer | Should -Be 'vmm01'
        @($json.hosts.name) | Should -Be @('hv01', "hv'02;]")
        ($json.hosts | Where-Object name -EQ "hv'02;]").state | Should -Be 'NotResponding'
        ($json.hosts | Where-Object name -EQ "hv'02;]").perimeter | Should -BeTrue
        ($json.virtualMachines | Where-Object name -EQ "vm'02]").status | Should -Be 'HostNotResponding'
        ($json.virtualMachines | Where-Object name -EQ 'vm03').host | Should -Be 'hv01'
        @($json.clouds.name) | Should -Be @('Gold', 'Silver')
        $json.libraryServers[0].name | Should -Be 'lib01.contoso.test'
        $json.runAsAccounts[0].userName | Should -Be 'CONTOSO\hostadmin'
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 1 -Because 'the temporary file is renamed, not left behind'
    }

    It 'reads everything from the VMM server it was given, by the published parameters' {
        $null = Export-VmmInventory -Path (Join-Path $TestDrive 'calls') -VMMServer vmm01
        (Get-VmmStubCall -CommandName Get-SCVMMServer).BoundParameters['ComputerName'] | Should -Be 'vmm01'
        foreach ($name in 'Get-SCVMHost', 'Get-SCVMHostCluster', 'Get-SCVirtualMachine', 'Get-SCLibraryServer', 'Get-SCCloud', 'Get-SCVMTemplate', 'Get-SCRunAsAccount') {
            $call = @(Get-VmmStubCall -CommandName $name)
            $call.Count | Should -Be 1 -Because $name
            $call[0].BoundParameters['VMMServer'].Name | Should -Be 'vmm01' -Because $name
        }
        (Get-VmmStubCall -CommandName Get-SCVirtualMachine).BoundParameters['All'] | Should -BeTrue
    }

    It 'replaces an existing snapshot file given by name' {
        $file = Join-Path $TestDrive 'named/inventory.json'
        $null = New-Item -ItemType Directory -Path (Split-Path $file) -Force
        Set-Content -LiteralPath $file -Value 'old content'
        $result = Export-VmmInventory -Path $file -VMMServer vmm01
        $result.Path | Should -Be $file
        (Get-Content -Raw -LiteralPath $file | ConvertFrom-Json).schemaVersion | Should -Be 1
        @(Get-ChildItem -LiteralPath (Split-Path $file) -Force).Count | Should -Be 1
    }

    It 'refuses a root directory' {
        { Export-VmmInventory -Path '/' -VMMServer vmm01 } | Should -Throw '*root directory*'
        { Export-VmmInventory -Path '/inventory.json' -VMMServer vmm01 } | Should -Throw '*root directory*'
        Get-VmmStubCall -CommandName Get-SCVMHost | Should -BeNullOrEmpty
    }

    It 'fails clearly, writing nothing, when VMM cannot be read' {
        Set-VmmStubBehavior Get-SCVirtualMachine { throw 'The VMM server is busy (error 1604).' }
        $folder = Join-Path $TestDrive 'failed'
        { Export-VmmInventory -Path $folder -VMMServer vmm01 } | Should -Throw "*Cannot read the inventory from the VMM management server 'vmm01'*1604*"
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'fails clearly when the VMM server does not answer' {
        Set-VmmStubBehavior Get-SCVMMServer { throw 'You cannot contact the VMM management server.' }
        { Export-VmmInventory -Path (Join-Path $TestDrive 'x') -VMMServer "vmm';]" } | Should -Throw "*Cannot connect to the VMM management server 'vmm';]'*"
    }

    It 'changes nothing with -WhatIf' {
        $folder = Join-Path $TestDrive 'whatif'
        $result = Export-VmmInventory -Path $folder -VMMServer vmm01 -WhatIf
        $result | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse
        Get-VmmMutatingCall | Should -BeNullOrEmpty
    }
}

Describe 'Read-VmmInventorySnapshot' {
    It 'refuses a file that is not a snapshot, with a clear message' {
        $file = Join-Path $TestDrive 'bad.json'
        Set-Content -LiteralPath $file -Value '{"hosts": []}'
        { InModuleScope VmmBackup -Parameters @{ File = $file } { param($File) Read-VmmInventorySnapshot -Path $File } } | Should -Throw '*no schemaVersion*'
        Set-Content -LiteralPath $file -Value '{"schemaVersion": 2}'
        { InModuleScope VmmBackup -Parameters @{ File = $file } { param($File) Read-VmmInventorySnapshot -Path $File } } | Should -Throw '*schema version 2*'
        Set-Content -LiteralPath $file -Value 'not json'
        { InModuleScope VmmBackup -Parameters @{ File = $file } { param($File) Read-VmmInventorySnapshot -Path $File } } | Should -Throw '*not valid JSON*'
        { InModuleScope VmmBackup { Read-VmmInventorySnapshot -Path '/nonexistent/snapshot.json' } } | Should -Throw '*does not exist*'
    }
}
